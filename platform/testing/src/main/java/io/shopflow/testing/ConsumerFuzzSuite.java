package io.shopflow.testing;

import io.restassured.RestAssured;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.MessageHeaders;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The acceptance suite of issue 14, "consumers must survive any record", for one service: a
 * {@code @QuarkusTest} extends it and names the service ({@link KafkaAccess}: the topics it may consume,
 * so that a new topic is fuzzed without editing the test, and one it may consume but does not fails it),
 * its database and a good message per topic. The suite produces the {@link ConsumerFuzzer}'s records to
 * every consumed topic and the retry topic, and checks that
 *
 * <ul>
 *   <li>the service stays ready ({@code /q/health/ready} answers 200 throughout: every consumer runs);</li>
 *   <li>every bad record is on the group's dead-letter topic exactly once, with a reason, and with its
 *   true topic and offset when it came from a consumed topic (not the ones its forged headers claim);</li>
 *   <li>every good record is processed: its message id is in the group's inbox, and
 *   {@link #assertApplied} sees its effect;</li>
 *   <li>memory stays bounded: the heap used after a full GC grows by less than
 *   {@link #HEAP_GROWTH_BOUND} over the run (the fuzzer produces a few MiB, up to two records of 1 MiB
 *   among them, and payloads that declare gigabytes; a consumer that kept what it read, or allocated
 *   what a payload declares, would exceed it or die of an {@link OutOfMemoryError}, and then not be
 *   ready). Measured: 3-20 MiB.</li>
 * </ul>
 *
 * <p>The seed is printed; {@code -Dshopflow.fuzz.seed=<seed>} replays a failing run.
 */
public abstract class ConsumerFuzzSuite {

    /** How much the heap used after a full GC may grow over a run. */
    public static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(90);

    /** The service's database on {@link PostgresServer#shared()}. */
    protected abstract String database();

    /** The service under test: its consumer group, the topics it consumes, its retry and dead-letter topics. */
    protected abstract KafkaAccess.Service service();

    /**
     * A new message for {@code topic} that the service applies, with a fresh message id, keyed (as every
     * Shopflow message) by its {@code orderId}.
     */
    protected abstract SpecificRecord goodMessage(String topic);

    /**
     * Checks the effect of the good messages the service processed, beyond their inbox entries (by
     * default nothing more).
     */
    protected void assertApplied(List<SpecificRecord> processed) {
    }

    @Test
    void everyConsumerStaysReadyDeadLettersEveryBadRecordWithItsReasonAndProcessesEveryGoodOne() throws Exception {
        long heapBefore = heapUsedAfterGc();
        ConsumerFuzzer fuzzer = ConsumerFuzzer.seeded();
        List<SpecificRecord> good = new ArrayList<>();
        Queue<String> notReady = new ConcurrentLinkedQueue<>();
        AtomicBoolean watching = new AtomicBoolean(true);
        Thread readiness = Thread.ofPlatform().daemon().name("fuzz-readiness").start(() -> watch(watching, notReady));
        long started = System.nanoTime();
        int sent = 0;
        KafkaAccess.Service service = service();
        try (ServiceMessages messages = new ServiceMessages(database())) {
            Map<String, RecordMetadata> landed = new HashMap<>();
            List<ConsumerFuzzer.Fuzzed> records = fuzzer.records(service.consumes(), service.retryTopic(),
                    this::goodMessage);
            for (ConsumerFuzzer.Fuzzed fuzzed : records) {
                landed.put(fuzzed.id(), messages.sendRaw(fuzzed.record()));
                sent++;
                if (fuzzed.expected() == ConsumerFuzzer.Outcome.PROCESSED) {
                    good.add(fuzzed.message());
                }
            }
            awaitOutcomes(fuzzer.seed(), messages, service, records, landed);
            assertApplied(good);
        } finally {
            watching.set(false);
            readiness.join();
        }
        System.out.printf("ConsumerFuzzer seed %d: %d records to %s, settled in %d ms%n", fuzzer.seed(), sent,
                service.group(), (System.nanoTime() - started) / 1_000_000);
        assertTrue(notReady.isEmpty(), "seed " + fuzzer.seed() + ": the service was not ready: " + notReady);
        RestAssured.given().get("/q/health/ready").then().statusCode(200);
        long growth = heapUsedAfterGc() - heapBefore;
        System.out.printf("ConsumerFuzzer seed %d: heap used after GC grew by %d KiB (bound %d KiB)%n", fuzzer.seed(),
                growth / 1024, HEAP_GROWTH_BOUND / 1024);
        assertTrue(growth < HEAP_GROWTH_BOUND, "seed " + fuzzer.seed() + ": the heap used after GC grew by "
                + growth + " bytes, more than " + HEAP_GROWTH_BOUND);
    }

    /**
     * Waits until every record reached its outcome, then checks the dead letters: each bad record once, with
     * a reason, from where it really came.
     */
    private static void awaitOutcomes(long seed, ServiceMessages messages, KafkaAccess.Service consumer,
                                      List<ConsumerFuzzer.Fuzzed> records, Map<String, RecordMetadata> landed) {
        List<ConsumerFuzzer.Fuzzed> deadLettered = records.stream()
                .filter(f -> f.expected() == ConsumerFuzzer.Outcome.DEAD_LETTERED).toList();
        List<ConsumerFuzzer.Fuzzed> processed = records.stream()
                .filter(f -> f.expected() == ConsumerFuzzer.Outcome.PROCESSED).toList();
        Map<String, List<ConsumerRecord<String, byte[]>>> letters = new HashMap<>();
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> {
                letters.clear();
                for (ConsumerRecord<String, byte[]> letter : messages.readAll(consumer.deadLetterTopic())) {
                    String id = header(letter, ConsumerFuzzer.ID_HEADER);
                    if (id != null) {
                        letters.computeIfAbsent(id, k -> new ArrayList<>()).add(letter);
                    }
                }
                return deadLettered.stream().allMatch(f -> letters.containsKey(f.id()))
                        && processed.stream().allMatch(f -> messages.processed(f.messageId(), consumer.group()));
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            fail("seed " + seed + ", group " + consumer.group() + ": within " + PATIENCE + ", not dead-lettered: "
                    + deadLettered.stream().filter(f -> !letters.containsKey(f.id())).toList()
                    + "; not processed: " + processed.stream()
                    .filter(f -> !messages.processed(f.messageId(), consumer.group())).toList());
        }
        List<String> wrong = new ArrayList<>();
        for (ConsumerFuzzer.Fuzzed f : deadLettered) {
            List<ConsumerRecord<String, byte[]>> copies = letters.get(f.id());
            ConsumerRecord<String, byte[]> letter = copies.get(0);
            String reason = header(letter, MessageHeaders.FAILURE_REASON);
            RecordMetadata at = landed.get(f.id());
            if (copies.size() != 1) {
                wrong.add(f + ": dead-lettered " + copies.size() + " times");
            } else if (reason == null || reason.isBlank() || reason.equals("null")) {
                wrong.add(f + ": dead-lettered without a reason");
            } else if (consumer.consumes().contains(at.topic())
                    && !(at.topic().equals(header(letter, MessageHeaders.ORIGINAL_TOPIC))
                    && Long.toString(at.offset()).equals(header(letter, MessageHeaders.ORIGINAL_OFFSET)))) {
                wrong.add(f + ": dead-lettered as from " + abbreviate(header(letter, MessageHeaders.ORIGINAL_TOPIC)) + "@"
                        + abbreviate(header(letter, MessageHeaders.ORIGINAL_OFFSET)) + ", not from " + at.topic() + "@"
                        + at.offset());
            }
        }
        processed.stream().filter(f -> letters.containsKey(f.id()))
                .forEach(f -> wrong.add(f + ": dead-lettered (" + header(letters.get(f.id()).get(0), MessageHeaders.FAILURE_REASON)
                        + ") instead of processed"));
        assertEquals(List.of(), wrong, "seed " + seed + ", group " + consumer.group());
        System.out.printf("ConsumerFuzzer seed %d, group %s: %d dead-lettered, %d processed; reasons: %s%n", seed,
                consumer.group(), deadLettered.size(), processed.size(), deadLettered.stream()
                        .map(f -> abbreviate(header(letters.get(f.id()).get(0), MessageHeaders.FAILURE_REASON)))
                        .collect(Collectors.toCollection(java.util.TreeSet::new)));
    }

    /** Asks {@code /q/health/ready} every 200 ms while {@code watching}; notes every answer but 200. */
    private static void watch(AtomicBoolean watching, Queue<String> notReady) {
        while (watching.get()) {
            try {
                var response = RestAssured.given().get("/q/health/ready");
                if (response.statusCode() != 200) {
                    notReady.add(response.statusCode() + " " + response.asString());
                }
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                notReady.add(e.toString());
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String value) {
        return value == null || value.length() <= 100 ? value : value.substring(0, 100) + "...";
    }

    private static long heapUsedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
