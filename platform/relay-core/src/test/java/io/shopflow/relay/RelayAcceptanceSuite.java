package io.shopflow.relay;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.contracts.MessageHeaders;
import io.shopflow.relay.RelaySettings.Mode;
import io.shopflow.relay.TopicReader.Received;
import io.shopflow.testing.KafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every relay mode guarantees, on a real PostgreSQL and a real Kafka broker: everything
 * arrives, in order per aggregate, through a broker outage and a hard kill of the relay, and rows
 * written before the relay first started are not forgotten. Subclasses choose the mode.
 */
abstract class RelayAcceptanceSuite {

    static final int AGGREGATES = 100;

    final KafkaBroker kafka = KafkaBroker.shared();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    String name;
    String topic;
    OutboxDatabaseFixture database;
    Relay relay;

    abstract Mode mode();

    @BeforeEach
    void freshDatabaseAndTopic(TestInfo test) {
        kafka.start();
        // Database and slot names are at most 63 characters.
        String method = test.getTestMethod().orElseThrow().getName().toLowerCase().substring(0, 20);
        name = (mode().name() + "_" + method).toLowerCase();
        topic = "relay-test." + name + "." + System.nanoTime();
        database = OutboxDatabaseFixture.create(name, AGGREGATES);
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.close();
        }
        kafka.start();
    }

    @Test
    void deliversEveryMessageInOrderPerAggregate() {
        try (TopicReader reader = new TopicReader(topic)) {
            relay = startRelay(settings());
            for (int tx = 0; tx < 20; tx++) {
                database.insert(topic, 500);
            }
            List<Received> received = reader.readUntil(10_000, Duration.ofSeconds(90));

            assertDeliveredInOrder(received, 10_000);
            assertThat(received).hasSize(10_000);
            Received first = received.get(0);
            assertThat(first.key()).isEqualTo(first.aggregate());
            assertThat(first.headers()).containsEntry(MessageHeaders.MESSAGE_TYPE, OutboxDatabaseFixture.MESSAGE_TYPE)
                    .containsEntry(MessageHeaders.AGGREGATE_TYPE, "Test")
                    .containsEntry(MessageHeaders.CORRELATION_ID, "corr-" + first.aggregate())
                    .containsEntry(MessageHeaders.TRACEPARENT, OutboxDatabaseFixture.TRACEPARENT)
                    .containsKey(MessageHeaders.OCCURRED_AT)
                    .doesNotContainKey(MessageHeaders.CAUSATION_ID)
                    .doesNotContainKey(MessageHeaders.TRACESTATE);
            assertThat(first.occurredAt()).isBefore(java.time.Instant.ofEpochMilli(first.receivedAtMillis() + 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> database.unpublished() == 0);
            assertThat(registry.get("shopflow.relay.published").tag("source", name).counter().count())
                    .isEqualTo(10_000);
            assertThat(registry.get("shopflow.relay.in.flight").tag("source", name).gauge().value()).isZero();
        }
    }

    @Test
    void retriesWithGrowingDelaysThroughABrokerOutage() throws Exception {
        try (TopicReader reader = new TopicReader(topic)) {
            relay = startRelay(settings().withRetries(Duration.ofMillis(200), Duration.ofSeconds(5),
                    Duration.ofSeconds(2)));
            database.insert(topic, 1_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> database.unpublished() == 0);

            Timer backoff = registry.get("shopflow.relay.publish.backoff").tag("source", name).timer();
            AtomicBoolean watching = new AtomicBoolean(true);
            CompletableFuture<List<Double>> delays = CompletableFuture.supplyAsync(() -> recordDelays(backoff, watching));
            kafka.stop();
            for (int tx = 0; tx < 8; tx++) {
                database.insert(topic, 500);
                Thread.sleep(1_250);
            }
            kafka.start();
            List<Received> received = reader.readUntil(5_000, Duration.ofSeconds(90));
            watching.set(false);

            double retries = registry.get("shopflow.relay.publish.retries").tag("source", name).counter().count();
            System.out.printf("%s: %.0f retries, delays %s ms, %d records for 5000 messages%n", name, retries,
                    delays.get(), received.size());
            assertThat(retries).isGreaterThanOrEqualTo(3);
            List<Double> observed = delays.get();
            assertThat(observed).hasSizeGreaterThanOrEqualTo(3);
            // Equal jitter: each delay is at least half its doubled ceiling, so they grow up to the cap.
            for (int i = 1; i < observed.size() && observed.get(i - 1) < 2_500; i++) {
                assertThat(observed.get(i)).isGreaterThanOrEqualTo(observed.get(i - 1));
            }
            assertThat(observed.get(observed.size() - 1)).isGreaterThan(observed.get(0));
            assertDeliveredInOrder(received, 5_000);
        }
    }

    @Test
    void losesNothingWhenTheRelayIsKilledAndRestarted() throws Exception {
        try (TopicReader reader = new TopicReader(topic)) {
            RelayProcess first = RelayProcess.start(mode(), kafka.connection(), database.source());
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                for (int tx = 0; tx < 16; tx++) {
                    database.insert(topic, 500);
                    sleep(300);
                }
            });
            // Mid-stream: the relay has published (and removed) rows, and more are waiting. Read
            // inserted() first: a commit in between can only make the published estimate smaller.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
                long inserted = database.inserted();
                long present = database.rows();
                return inserted - present >= 500 && present > 0;
            });
            first.kill();
            System.out.printf("%s: killed the relay with %d of %d inserted rows still in the outbox%n", name,
                    database.rows(), database.inserted());
            RelayProcess second = RelayProcess.start(mode(), kafka.connection(), database.source());
            try {
                writer.get();
                List<Received> received = reader.readUntil(8_000, Duration.ofSeconds(90));
                System.out.printf("%s: %d records for 8000 messages, %d duplicates after the kill%n", name,
                        received.size(), received.size() - distinctIds(received));
                assertDeliveredInOrder(received, 8_000);
            } finally {
                second.kill();
            }
        }
    }

    @Test
    void publishesRowsWrittenBeforeTheRelayFirstStarted() {
        try (TopicReader reader = new TopicReader(topic)) {
            database.insert(topic, 1_000);
            database.insert(topic, 1_000);
            relay = startRelay(settings());
            database.insert(topic, 500);
            List<Received> received = reader.readUntil(2_500, Duration.ofSeconds(60));
            assertDeliveredInOrder(received, 2_500);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    RelaySettings settings() {
        return RelaySettings.defaults(mode(), kafka.connection(), database.source());
    }

    Relay startRelay(RelaySettings settings) {
        Relay started = Relay.start(settings, registry);
        await().atMost(Duration.ofSeconds(60)).until(started::isStreaming);
        return started;
    }

    /** Every message once at least; per aggregate, first deliveries in the order written. */
    static void assertDeliveredInOrder(List<Received> received, int expected) {
        assertThat(distinctIds(received)).isEqualTo(expected);
        Map<String, Integer> lastSeq = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> outOfOrder = new ArrayList<>();
        for (Received r : received) {
            if (seen.add(r.messageId())) {
                int previous = lastSeq.getOrDefault(r.aggregate(), -1);
                if (r.seq() != previous + 1) {
                    outOfOrder.add(r.aggregate() + ": " + previous + " -> " + r.seq());
                }
                lastSeq.put(r.aggregate(), r.seq());
            }
        }
        assertThat(outOfOrder).as("gaps or reorderings per aggregate").isEmpty();
    }

    private static int distinctIds(List<Received> received) {
        Set<String> ids = new HashSet<>();
        received.forEach(r -> ids.add(r.messageId()));
        return ids.size();
    }

    /** Each backoff, in ms, read back from the timer: retries are seconds apart, samples 20 ms. */
    private static List<Double> recordDelays(Timer backoff, AtomicBoolean watching) {
        List<Double> delays = new ArrayList<>();
        long count = backoff.count();
        double total = backoff.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
        while (watching.get()) {
            long nowCount = backoff.count();
            double nowTotal = backoff.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
            if (nowCount == count + 1) {
                delays.add(nowTotal - total);
            } else if (nowCount > count + 1) {
                throw new IllegalStateException("Missed a retry: sampled too slowly");
            }
            count = nowCount;
            total = nowTotal;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return delays;
    }
}
