package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.Infrastructure;
import io.shopflow.localstack.launcher.Launcher;
import io.shopflow.localstack.launcher.OpsClient;
import io.shopflow.localstack.launcher.OrderRecords;
import io.shopflow.localstack.launcher.Service;
import io.shopflow.localstack.launcher.StackLayout;
import io.shopflow.localstack.launcher.StackProcess;
import io.shopflow.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The runbook's failure drills on the local stack ({@code local-stack.sh drill <name>|--all}):
 * each runs under a background load of new orders, breaks one thing, clears the fault, waits for
 * every accepted order to reach its final state, then checks the invariants in every service's
 * database ({@link Invariants}) and prints one row per drill: orders placed, approved, rejected,
 * rejected with {@code TIMEOUT}, requests refused while the fault lasted, orders completed per
 * second while it lasted, duplicates suppressed, time to recover, PASS or FAIL. The
 * {@code overload} drill breaks nothing: it offers {@value #OVERLOAD_FACTOR} x the knee.
 */
public final class Drills {

    /** One drill: what it breaks, how it clears it, and how long the background load goes on after. */
    private record Drill(String name, String breaks, Fault fault, Duration after) {
    }

    /**
     * Breaks something while {@code load} runs, then clears it; {@code inject} may return a count of
     * duplicates it sent.
     */
    private interface Fault {
        int inject(Duration hold, OrderLoad load) throws Exception;
    }

    private record Row(String drill, int placed, long approved, long rejected, long timeouts, int refused,
                       double completedPerSecond, int duplicates, double recoverSeconds, boolean pass,
                       List<String> problems, String refusals) {
    }

    /** Enough customers that their default credit (1,000.00 each) holds every approved order, also of an overload. */
    private static final int CUSTOMERS = 100;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration AFTER = Duration.ofSeconds(5);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(4);
    private static final double OVERLOAD_FACTOR = 3;
    private static final Duration OVERLOAD = Duration.ofSeconds(60);
    /** After an overload, normal load long enough to see new orders fast again while the backlog drains. */
    private static final Duration AFTER_OVERLOAD = Duration.ofSeconds(30);

    private final Launcher launcher;
    private final StackLayout layout;
    private final OpsClient ops;
    private final double knee;
    private final Map<String, Drill> drills = new LinkedHashMap<>();

    /** {@code knee}: the highest rate the stack keeps up with (capacity's last step that held); the overload drill offers a multiple. */
    public Drills(Launcher launcher, double knee) throws Exception {
        this.launcher = launcher;
        this.layout = launcher.layout();
        this.ops = new OpsClient(layout);
        this.knee = knee;
        add("kafka-down", "the broker stops for the hold time", (hold, load) -> kafkaDown(hold));
        for (String process : StackProcess.applications()) {
            add("kill-" + process, process + " killed with SIGKILL and restarted", (hold, load) -> kill(process));
        }
        add("postgres-restart", "PostgreSQL restarted (all connections dropped)", (hold, load) -> postgresRestart());
        add("provider-outage", "the payment provider answers 503 for the hold time", (hold, load) -> provider(
                "{\"outage\":true}", hold));
        add("provider-slow", "the payment provider takes 2.5 s per call (over the 2 s timeout)", (hold, load) ->
                provider("{\"latencyMillis\":2500}", hold));
        add("poison-message", "an undecodable record on shopflow.inventory.commands.v1", (hold, load) -> poison());
        add("duplicate-redelivery", "the last records of every topic published again", (hold, load) -> redeliver());
        add("orchestrator-restart", "saga-orchestrator killed while sagas wait at every step",
                (hold, load) -> orchestrator(hold));
        drills.put("overload", new Drill("overload", String.format(Locale.ROOT,
                "%.0fx the knee (%.0f orders/s) offered for %d s, whatever the hold time", OVERLOAD_FACTOR, knee,
                OVERLOAD.toSeconds()), (hold, load) -> overload(load), AFTER_OVERLOAD));
    }

    /** Every drill's name, in the order {@code --all} runs them. */
    public Set<String> names() {
        return drills.keySet();
    }

    /** Runs the drills in order; true when all passed. */
    public boolean run(List<String> names, double rate, Duration hold) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            Drill drill = drills.get(name);
            if (drill == null) {
                throw new IllegalArgumentException("no drill " + name + "; drills: " + drills.keySet());
            }
            System.out.printf("%n== drill %s: %s (load %.0f orders/s, hold %d s)%n", name, drill.breaks(), rate,
                    hold.toSeconds());
            rows.add(run(drill, rate, hold));
        }
        System.out.printf("%nDrills at %.0f orders/s of background load:%n", rate);
        System.out.printf("%-28s %7s %9s %9s %8s %8s %12s %11s %12s  %s%n", "drill", "placed", "approved",
                "rejected", "TIMEOUT", "refused", "completed/s", "duplicates", "recovered", "result");
        for (Row row : rows) {
            System.out.printf(Locale.ROOT, "%-28s %7d %9d %9d %8d %8d %12s %11d %10.1f s  %s%n", row.drill(),
                    row.placed(), row.approved(), row.rejected(), row.timeouts(), row.refused(),
                    Double.isNaN(row.completedPerSecond()) ? "-"
                            : String.format(Locale.ROOT, "%.1f", row.completedPerSecond()),
                    row.duplicates(), row.recoverSeconds(), row.pass() ? "PASS" : "FAIL");
            if (row.refused() > 0) {
                System.out.println("    refused: " + row.refusals());
            }
            row.problems().stream().limit(5).forEach(p -> System.out.println("    " + p));
        }
        System.out.println("(TIMEOUT: orders rejected because a saga step ran out of attempts; refused: POST /orders"
                + " not accepted while the fault lasted, what a client would retry; completed/s: orders of the drill that"
                + " became final while the fault lasted, per second (-: over in less than a second); duplicates: records"
                + " delivered again and suppressed"
                + " by the consumers' inboxes; recovered: from clearing the fault until every order placed before was"
                + " final)");
        return rows.stream().allMatch(Row::pass);
    }

    private Row run(Drill drill, double rate, Duration hold) throws Exception {
        String run = drill.name() + "-" + UUID.randomUUID().toString().substring(0, 6);
        long deadLettersBefore = deadLetters();
        OrderLoad load = new OrderLoad(ops, "drill-" + run, rate, CUSTOMERS);
        Map<String, Integer> stock = load.stock();
        load.start();
        Thread.sleep(WARM_UP.toMillis());
        Instant injected = Instant.now();
        int duplicates = drill.fault().inject(hold, load);
        Instant cleared = Instant.now();
        Thread.sleep(drill.after().toMillis());
        load.stop();

        Invariants invariants = new Invariants(layout);
        OrderRecords records = new OrderRecords(layout);
        List<String> orders = placed(load, records);
        Invariants.Report report = invariants.check(orders, stock);
        Instant deadline = Instant.now().plus(RECOVERY_TIMEOUT);
        Instant allFinal = null;
        while (Instant.now().isBefore(deadline)) {
            // A restarting service may still turn requests it had queued into orders: read them again.
            orders = placed(load, records);
            Map<String, String> statuses = records.statuses(orders);
            boolean finished = statuses.values().stream().allMatch(OrderRecords::isFinal);
            allFinal = !finished ? null : allFinal == null ? Instant.now() : allFinal;
            if (finished) {
                report = invariants.check(orders, stock);
                // Notifications follow the outcome asynchronously: give them a moment.
                if (report.holds() || Instant.now().isAfter(allFinal.plusSeconds(60))) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        if (allFinal == null) {
            report = invariants.check(orders, stock);
        }
        List<String> problems = new ArrayList<>(report.violations());
        long deadLettered = deadLetters() - deadLettersBefore;
        long expectedDeadLetters = drill.name().equals("poison-message") ? 1 : 0;
        if (deadLettered != expectedDeadLetters) {
            problems.add("dead letters: " + deadLettered + " new, expected " + expectedDeadLetters);
        }
        if (orders.isEmpty()) {
            problems.add("no order was accepted");
        }
        Timeline timeline = new Timeline(load.perSecond(), records.ofCustomers(load.customers()));
        long timeouts = timeline.rejected("TIMEOUT");
        if (drill.name().equals("overload") && timeouts > 0) {
            problems.add(timeouts + " orders rejected with TIMEOUT while nothing was broken, only busy");
        }
        // A fault over within a second (a poison record, a redelivery) has no rate of its own.
        double completedPerSecond = Duration.between(injected, cleared).toSeconds() < 1 ? Double.NaN
                : timeline.completedPerSecond(injected, cleared);
        return new Row(drill.name(), orders.size(), report.count("APPROVED"), report.count("REJECTED"), timeouts,
                load.refused(), completedPerSecond, duplicates,
                timeline.drainedAfter(cleared).orElse(Double.NaN), problems.isEmpty(), problems, load.refusals());
    }

    /**
     * Every accepted order, and the orders whose answer the client never saw (a timeout while a
     * service restarted): they were placed all the same and hold stock and credit too.
     */
    private static List<String> placed(OrderLoad load, OrderRecords records) throws java.sql.SQLException {
        Set<String> placed = new java.util.LinkedHashSet<>(load.accepted());
        placed.addAll(records.idsOf(load.customers()));
        return List.copyOf(placed);
    }

    private void add(String name, String breaks, Fault fault) {
        drills.put(name, new Drill(name, breaks, fault, AFTER));
    }

    private int kill(String process) throws Exception {
        launcher.restart(process, true);
        return 0;
    }

    private int kafkaDown(Duration hold) throws Exception {
        Path control = layout.control();
        Files.createDirectories(control);
        Files.writeString(control.resolve(Infrastructure.KAFKA_DOWN), "drill");
        Thread.sleep(hold.toMillis());
        Files.deleteIfExists(control.resolve(Infrastructure.KAFKA_DOWN));
        return 0;
    }

    private int postgresRestart() throws Exception {
        Path marker = layout.control().resolve(Infrastructure.POSTGRES_RESTART);
        Files.createDirectories(marker.getParent());
        Files.writeString(marker, "drill");
        Instant until = Instant.now().plusSeconds(120);
        while (Files.exists(marker) && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        return 0;
    }

    private int provider(String behaviour, Duration hold) throws Exception {
        ops.providerBehaviour(behaviour);
        try {
            Thread.sleep(hold.toMillis());
        } finally {
            ops.providerBehaviour("{\"latencyMillis\":0,\"errorRate\":0.0,\"outage\":false}");
        }
        return 0;
    }

    private int orchestrator(Duration hold) throws Exception {
        // Slow payments keep sagas at every step (reserving, authorizing, approving) when it dies.
        ops.providerBehaviour("{\"latencyMillis\":800}");
        try {
            Thread.sleep(Math.min(hold.toMillis(), 5000));
            launcher.restart(Service.SAGA.processName(), true);
        } finally {
            ops.providerBehaviour("{\"latencyMillis\":0,\"errorRate\":0.0,\"outage\":false}");
        }
        return 0;
    }

    /**
     * More than the stack can finish, with nothing broken: admission control should refuse the
     * excess (503) and the sagas it accepted should neither slow down nor time out.
     */
    private int overload(OrderLoad load) throws InterruptedException {
        double normal = load.rate();
        load.changeRate(OVERLOAD_FACTOR * knee);
        try {
            Thread.sleep(OVERLOAD.toMillis());
        } finally {
            load.changeRate(normal);
        }
        return 0;
    }

    private int poison() {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            producer.send(new ProducerRecord<>(Topics.INVENTORY_COMMANDS, "poison".getBytes(),
                    "not an Avro message".getBytes())).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish the poison record", e);
        }
        return 0;
    }

    /** Publishes the last records of every message topic again, as a relay replaying from an older position would. */
    private int redeliver() throws Exception {
        int sent = 0;
        Map<String, Object> config = layout.kafkaAdmin().clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()); KafkaProducer<byte[], byte[]> producer = producer()) {
            for (String topic : Topics.ALL) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                consumer.assign(partitions);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                ends.forEach((tp, end) -> consumer.seek(tp, Math.max(0, end - 25)));
                List<ConsumerRecord<byte[], byte[]>> copies = new ArrayList<>();
                Instant until = Instant.now().plusSeconds(10);
                while (Instant.now().isBefore(until)
                        && partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                        if (r.offset() < ends.get(new TopicPartition(r.topic(), r.partition()))) {
                            copies.add(r);
                        }
                    });
                }
                for (ConsumerRecord<byte[], byte[]> r : copies) {
                    producer.send(new ProducerRecord<>(r.topic(), r.partition(), r.key(), r.value(), r.headers()));
                    sent++;
                }
                producer.flush();
            }
        }
        return sent;
    }

    private long deadLetters() throws Exception {
        try (Admin admin = Admin.create(layout.kafkaAdmin().clientConfig(Map.of()))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                    .filter(t -> t.endsWith(".dlq")).collect(Collectors.toSet());
            if (topics.isEmpty()) {
                return 0;
            }
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()),
                            OffsetSpec.latest())));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(info -> info.offset()).sum();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(layout.kafkaAdmin().clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
                new ByteArraySerializer(), new ByteArraySerializer());
    }
}
