package io.shopflow.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.contracts.KafkaConnection;
import io.shopflow.contracts.MessageHeaders;
import io.shopflow.relay.RelaySettings.Mode;
import io.shopflow.relay.cdc.KafkaConnectWorker;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.SvgChart;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * The relay against its peer and its two limits, in one run on the embedded PostgreSQL and Kafka
 * of this machine, same payloads for all: our relay in CDC and in polling mode, Debezium's
 * connector with the outbox event router on a Kafka Connect standalone worker
 * ({@link KafkaConnectWorker}), the database's own commit rate for the same inserts with no relay,
 * and an idempotent producer sending the same records with no database. Three workloads:
 * single-row transactions at a fixed 1,000/s and at saturation (8 writers), and bulk (50,000 rows
 * in transactions of 500, one writer). Prints events/s and the commit-to-Kafka latency (consumer
 * receive time minus the row's {@code created_at}, or the producer's send time) p50/p99, the
 * ratios to the limits and to the peer, and draws the charts of {@code docs/benchmarks.md}.
 *
 * <p>It measures and asserts nothing about speed; not part of the default test run:
 * {@code ./mvnw -B -pl platform/relay-core verify -Pbenchmark}
 * ({@code -Dbenchmark.systems=cdc,connect} runs a subset; {@code -Dbenchmark.charts=DIR}).
 */
class RelayBenchmark {

    private static final int PAYLOAD_BYTES = 200;
    private static final int AGGREGATES = 100;

    /** What is measured. */
    enum Contender {
        DATABASE("database commit rate (limit)", false),
        PRODUCER("idempotent producer (limit)", true),
        CDC("relay, CDC", true),
        POLLING("relay, polling", true),
        CONNECT("Debezium on Kafka Connect", true);

        final String label;
        final boolean reachesKafka;

        Contender(String label, boolean reachesKafka) {
            this.label = label;
            this.reachesKafka = reachesKafka;
        }
    }

    /** {@code messages} rows, {@code perTx} per transaction, by {@code writers} connections, at {@code rate}/s (0: flat out). */
    record Workload(String name, int messages, int perTx, int writers, int rate) {
    }

    static final List<Workload> WORKLOADS = List.of(
            new Workload("single-row at 1,000/s", 20_000, 1, 8, 1_000),
            new Workload("single-row, saturation", 30_000, 1, 8, 0),
            new Workload("bulk, 50k in tx of 500", 50_000, 500, 1, 0));

    /** Run first and not reported: JIT compilation, connection pools, consumer fetch sessions. */
    private static final Workload WARM_UP = new Workload("warm-up", 10_000, 10, 4, 0);

    record Result(double eventsPerSecond, double p50Millis, double p99Millis) {
    }

    /** One writer connection (or producer handle): writes one transaction of {@code rows}. */
    private interface Writer extends AutoCloseable {
        void write(String topic, int rows) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** The system under test, started: hands out writers. */
    private interface Pipeline extends AutoCloseable {
        Writer writer() throws Exception;
    }

    /** Kafka Connect's own offsets (the relay keeps none: its slot is its offset). */
    @TempDir
    Path connectOffsets;

    @Test
    void compare() throws Exception {
        List<Contender> systems = Arrays.stream(System.getProperty("benchmark.systems",
                        "database,producer,cdc,polling,connect").split(","))
                .map(s -> Contender.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList();
        Map<Contender, List<Result>> results = new EnumMap<>(Contender.class);
        for (Contender system : systems) {
            List<Result> row = new ArrayList<>();
            try (Pipeline pipeline = start(system)) {
                measure(system, pipeline, WARM_UP);
                for (Workload workload : WORKLOADS) {
                    Result result = measure(system, pipeline, workload);
                    System.out.printf("%n[benchmark] %-28s %-24s %,9.0f events/s  p50 %s  p99 %s%n",
                            system.label, workload.name(), result.eventsPerSecond(), millis(result.p50Millis()),
                            millis(result.p99Millis()));
                    row.add(result);
                }
            }
            results.put(system, row);
        }
        report(results);
    }

    private Pipeline start(Contender system) throws Exception {
        if (system == Contender.PRODUCER) {
            KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaBroker.shared().connection().clientConfig(Map.of(
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer());
            OutboxDatabaseFixture payloads = OutboxDatabaseFixture.payloadsOnly(AGGREGATES, PAYLOAD_BYTES);
            return new Pipeline() {
                @Override
                public Writer writer() {
                    return (topic, rows) -> {
                        for (OutboxDatabaseFixture.Row row : payloads.nextRows(rows)) {
                            ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, row.aggregate(), row.payload());
                            record.headers().add(MessageHeaders.MESSAGE_ID, bytes(UUID.randomUUID().toString()));
                            record.headers().add(MessageHeaders.OCCURRED_AT, bytes(Instant.now().toString()));
                            producer.send(record);
                        }
                    };
                }

                @Override
                public void close() {
                    producer.close();
                }
            };
        }
        OutboxDatabaseFixture database = OutboxDatabaseFixture.create("bench_" + system.name().toLowerCase(Locale.ROOT),
                AGGREGATES, PAYLOAD_BYTES);
        KafkaConnection kafka = KafkaBroker.shared().connection();
        AutoCloseable running = switch (system) {
            case CDC, POLLING -> {
                Relay relay = Relay.start(RelaySettings.defaults(system == Contender.CDC ? Mode.CDC : Mode.POLLING, kafka,
                        database.source()), new SimpleMeterRegistry());
                await().atMost(Duration.ofSeconds(90)).until(relay::isStreaming);
                yield relay;
            }
            case CONNECT -> KafkaConnectWorker.start(database.source(),
                    RelaySettings.defaults(Mode.CDC, kafka, database.source()), connectOffsets);
            default -> () -> { };
        };
        return new Pipeline() {
            @Override
            public Writer writer() throws SQLException {
                Connection c = database.connect();
                return new Writer() {
                    @Override
                    public void write(String topic, int rows) {
                        database.insert(c, topic, rows);
                    }

                    @Override
                    public void close() throws SQLException {
                        c.close();
                    }
                };
            }

            @Override
            public void close() throws Exception {
                running.close();
            }
        };
    }

    private static Result measure(Contender system, Pipeline pipeline, Workload workload) throws Exception {
        String topic = "bench." + system.name().toLowerCase(Locale.ROOT) + "." + workload.name().replaceAll("[^a-z0-9]+", "-");
        int count = workload.messages();
        long[] latencies = new long[count];
        AtomicInteger received = new AtomicInteger();
        AtomicLong lastReceived = new AtomicLong();
        try (TopicReader reader = new TopicReader(topic)) {
            CompletableFuture<Void> consumer = !system.reachesKafka ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.runAsync(() -> reader.readUntil(count, Duration.ofMinutes(10), record -> {
                        int n = received.getAndIncrement();
                        if (n < count) {
                            Instant occurred = record.occurredAt();
                            latencies[n] = TimeUnit.MILLISECONDS.toMicros(record.receivedAtMillis())
                                    - TimeUnit.SECONDS.toMicros(occurred.getEpochSecond()) - occurred.getNano() / 1_000;
                        }
                        lastReceived.set(record.receivedAtMillis());
                    }));
            long start = System.currentTimeMillis();
            write(pipeline, workload, topic);
            long written = System.currentTimeMillis();
            if (!system.reachesKafka) {
                return new Result(count * 1000.0 / (written - start), Double.NaN, Double.NaN);
            }
            consumer.get(10, TimeUnit.MINUTES);
            if (received.get() < count) {
                throw new IllegalStateException(system.label + ", " + workload.name() + ": only " + received.get()
                        + " of " + count + " messages reached Kafka");
            }
            Arrays.sort(latencies);
            return new Result(count * 1000.0 / (lastReceived.get() - start), percentile(latencies, 0.50) / 1000.0,
                    percentile(latencies, 0.99) / 1000.0);
        }
    }

    /** The workload's transactions, by its writers, paced from one shared schedule when it has a rate. */
    private static void write(Pipeline pipeline, Workload workload, String topic) throws Exception {
        int transactions = workload.messages() / workload.perTx();
        AtomicInteger next = new AtomicInteger();
        long startNanos = System.nanoTime();
        ExecutorService writers = Executors.newFixedThreadPool(workload.writers());
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int w = 0; w < workload.writers(); w++) {
                done.add(writers.submit(() -> {
                    try (Writer writer = pipeline.writer()) {
                        for (int tx = next.getAndIncrement(); tx < transactions; tx = next.getAndIncrement()) {
                            if (workload.rate() > 0) {
                                long due = startNanos + TimeUnit.SECONDS.toNanos((long) tx * workload.perTx()) / workload.rate();
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    TimeUnit.NANOSECONDS.sleep(wait);
                                }
                            }
                            writer.write(topic, workload.perTx());
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            writers.shutdownNow();
        }
    }

    private static void report(Map<Contender, List<Result>> results) {
        StringBuilder table = new StringBuilder(String.format(Locale.ROOT,
                "%nRelay benchmark, %s, %d cores; events/s, commit->Kafka p50 / p99:%n", Instant.now(),
                Runtime.getRuntime().availableProcessors()));
        table.append("| system | ").append(String.join(" | ", WORKLOADS.stream().map(Workload::name).toList())).append(" |\n");
        table.append("| --- |").append(" --- |".repeat(WORKLOADS.size())).append('\n');
        results.forEach((system, row) -> {
            table.append("| ").append(system.label).append(" |");
            for (Result r : row) {
                table.append(String.format(Locale.ROOT, " %,.0f/s", r.eventsPerSecond()));
                if (!Double.isNaN(r.p50Millis())) {
                    table.append(" (").append(millis(r.p50Millis())).append(" / ").append(millis(r.p99Millis())).append(')');
                }
                table.append(" |");
            }
            table.append('\n');
        });
        table.append("\nRatios of events/s (relay ÷ database commit rate, ÷ idempotent producer, ÷ Kafka Connect):\n");
        for (Contender relay : List.of(Contender.CDC, Contender.POLLING, Contender.CONNECT)) {
            if (!results.containsKey(relay)) {
                continue;
            }
            table.append(String.format(Locale.ROOT, "%-28s", relay.label));
            for (int w = 0; w < WORKLOADS.size(); w++) {
                table.append(String.format(Locale.ROOT, " | %s: %s, %s, %s", WORKLOADS.get(w).name(),
                        ratio(results, relay, Contender.DATABASE, w), ratio(results, relay, Contender.PRODUCER, w),
                        ratio(results, relay, Contender.CONNECT, w)));
            }
            table.append('\n');
        }
        System.out.println(table);

        Path charts = Path.of(System.getProperty("benchmark.charts", "../../docs/benchmarks"));
        List<String> workloads = WORKLOADS.stream().map(Workload::name).toList();
        Map<String, double[]> throughput = new LinkedHashMap<>();
        Map<String, double[]> latency = new LinkedHashMap<>();
        results.forEach((system, row) -> {
            throughput.put(system.label, row.stream().mapToDouble(Result::eventsPerSecond).toArray());
            // Every contender, so that each keeps its colour (the database limit has no latency: no bars).
            Result paced = row.get(0);
            latency.put(system.label, new double[] {paced.p50Millis(), paced.p99Millis()});
        });
        SvgChart.write(charts.resolve("relay-throughput.svg"), SvgChart.bars(
                "Outbox relay vs peer and limits: events/s (" + Instant.now().toString().substring(0, 10) + ")",
                "events per second", workloads, throughput));
        SvgChart.write(charts.resolve("relay-latency.svg"), SvgChart.bars(
                "Commit -> Kafka latency at 1,000 single-row transactions/s", "milliseconds",
                List.of("p50", "p99"), latency));
        System.out.println("Charts: " + charts.toAbsolutePath().normalize());
    }

    private static String ratio(Map<Contender, List<Result>> results, Contender system, Contender to, int workload) {
        if (!results.containsKey(to) || system == to) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f×", results.get(system).get(workload).eventsPerSecond()
                / results.get(to).get(workload).eventsPerSecond());
    }

    private static long percentile(long[] sorted, double p) {
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static String millis(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value >= 1000 ? String.format(Locale.ROOT, "%.2f s", value / 1000) : String.format(Locale.ROOT, "%.1f ms", value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
