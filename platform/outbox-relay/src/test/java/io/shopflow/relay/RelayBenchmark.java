package io.shopflow.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.relay.RelaySettings.Mode;
import io.shopflow.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * Throughput and commit-to-Kafka latency of both modes, on the embedded PostgreSQL and Kafka of
 * this machine. It measures and prints; it asserts nothing about speed. Not part of the default
 * test run: {@code ./mvnw -B -pl platform/outbox-relay verify -Pbenchmark}.
 *
 * <p>Latency is the consumer's receive time minus the row's {@code created_at} (the occurred-at
 * header), both from this machine's clock. Two runs per mode: a burst of 50,000 messages written
 * as fast as possible (throughput; latency then includes the backlog), and 20,000 messages paced
 * at 2,000/s (latency at a sustainable load).
 */
class RelayBenchmark {

    private static final int BURST = Integer.getInteger("benchmark.messages", 50_000);
    private static final int PACED = 20_000;
    private static final int PACED_RATE = 2_000;
    private static final int PAYLOAD_BYTES = 200;

    @TempDir
    Path dataDir;

    @Test
    void cdc() throws Exception {
        run(Mode.CDC);
    }

    @Test
    void polling() throws Exception {
        run(Mode.POLLING);
    }

    private void run(Mode mode) throws Exception {
        String name = "bench_" + mode.name().toLowerCase();
        OutboxDatabaseFixture database = OutboxDatabaseFixture.create(name, 100, PAYLOAD_BYTES);
        try (Relay relay = Relay.start(RelaySettings.defaults(mode, KafkaBroker.shared().bootstrapServers(), dataDir,
                database.source()), new SimpleMeterRegistry())) {
            await().atMost(Duration.ofSeconds(60)).until(relay::isStreaming);
            report(mode, "burst " + BURST, measure(database, "bench." + name + ".burst", BURST, 0));
            report(mode, "paced " + PACED + " @ " + PACED_RATE + "/s",
                    measure(database, "bench." + name + ".paced", PACED, PACED_RATE));
        }
    }

    /** Writes {@code count} messages in transactions of 100 (paced: 20), at {@code rate}/s or flat out. */
    private static Result measure(OutboxDatabaseFixture database, String topic, int count, int rate) throws Exception {
        long[] latencies = new long[count];
        AtomicLong lastReceived = new AtomicLong();
        try (TopicReader reader = new TopicReader(topic)) {
            CompletableFuture<Void> consumer = CompletableFuture.runAsync(() -> {
                int[] n = {0};
                reader.readUntil(count, Duration.ofMinutes(5), received -> {
                    if (n[0] < count) {
                        long micros = TimeUnit.MILLISECONDS.toMicros(received.receivedAtMillis())
                                - TimeUnit.SECONDS.toMicros(received.occurredAt().getEpochSecond())
                                - received.occurredAt().getNano() / 1_000;
                        latencies[n[0]++] = micros;
                    }
                    lastReceived.set(received.receivedAtMillis());
                });
            });
            int perTx = rate == 0 ? 100 : 20;
            long start = System.currentTimeMillis();
            long startNanos = System.nanoTime();
            try (Connection c = database.connect(); Statement session = c.createStatement()) {
                // The test server runs with synchronous_commit=off, where WAL reaches the walsender
                // only at the WAL writer's next flush (wal_writer_delay, 200 ms): that, not the relay,
                // would dominate CDC latency. Services commit synchronously, as PostgreSQL does by default.
                session.execute("SET synchronous_commit TO on");
                for (int written = 0; written < count; written += perTx) {
                    database.insert(c, topic, perTx);
                    if (rate > 0) {
                        long due = startNanos + TimeUnit.SECONDS.toNanos(written + perTx) / rate;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                    }
                }
            }
            long written = System.currentTimeMillis();
            consumer.get(5, TimeUnit.MINUTES);
            Arrays.sort(latencies);
            return new Result(count, written - start, lastReceived.get() - start, latencies);
        }
    }

    private static void report(Mode mode, String run, Result r) {
        System.out.printf("%n[benchmark] %-7s %-22s written in %6d ms, all in Kafka after %6d ms: %,8.0f events/s;"
                        + " latency p50 %7.1f ms, p99 %7.1f ms, max %7.1f ms%n",
                mode, run, r.writeMillis(), r.totalMillis(), r.count() * 1000.0 / r.totalMillis(),
                r.percentile(0.50) / 1000.0, r.percentile(0.99) / 1000.0, r.latencies()[r.count() - 1] / 1000.0);
    }

    private record Result(int count, long writeMillis, long totalMillis, long[] latencies) {
        long percentile(double p) {
            return latencies[(int) Math.min(count - 1, Math.ceil(p * count) - 1)];
        }
    }
}
