package io.shopflow.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.contracts.MessageHeaders;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.contracts.serde.MessageDecodingException;
import io.shopflow.testing.KafkaBroker;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** Against the real in-JVM Kafka broker. */
class ReliableConsumerTest {

    private final KafkaBroker broker = KafkaBroker.shared();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String group = "test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "shopflow.test." + group;
    private final Queue<String> processed = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private ReliableConsumer consumer;

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
    }

    @Test
    void deadLettersAPoisonMessageWithItsReasonAndMovesOn() {
        ConsumerSettings settings = settings(3, 1);
        consumer = startFailingOnPoison(settings);

        send("poison-1", "ok-2");

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("ok-2"));
        List<DeadLetter> letters = awaitDeadLetters(settings, 1);
        assertThat(letters).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("k-poison-1");
            assertThat(d.originalTopic()).isEqualTo(topic);
            assertThat(d.originalPartition()).isEqualTo("0");
            assertThat(d.originalOffset()).isEqualTo("0");
            assertThat(d.reason()).contains("cannot decode poison-1");
            assertThat(d.exception()).isEqualTo(SerializationException.class.getName());
            assertThat(d.attempts()).isEqualTo("1");
        });
        assertThat(count("shopflow.consumer.dead.letters")).isEqualTo(1);
    }

    @Test
    void aFailingRecordInABatchNeitherUndoesNorRepeatsTheOthers() {
        ConsumerSettings settings = settings(2, 0);
        Queue<Integer> batchSizes = new ConcurrentLinkedQueue<>();
        Queue<Double> inFlight = new ConcurrentLinkedQueue<>();
        // Sent before the consumer joins, so that its first poll takes them all.
        List<String> good = IntStream.range(0, 30).mapToObj(i -> "good-" + i).toList();
        List<String> values = new ArrayList<>(good.subList(0, 15));
        values.add("bad-1");
        values.addAll(good.subList(15, 30));
        send(values.toArray(String[]::new));

        consumer = ReliableConsumer.start(settings, new BatchProcessor() {
            @Override
            public void process(ConsumerRecord<String, byte[]> record) {
                String value = value(record.value());
                calls.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet();
                if (value.startsWith("bad")) {
                    throw new IllegalStateException("cannot apply " + value);
                }
                processed.add(value);
            }

            /** All or nothing, as a transaction: the effects are kept only when every record succeeded. */
            @Override
            public void processBatch(List<ConsumerRecord<String, byte[]>> records) {
                batchSizes.add(records.size());
                inFlight.add(registry.get("shopflow.consumer.in.flight").gauge().value());
                if (records.stream().anyMatch(r -> value(r.value()).startsWith("bad"))) {
                    throw new IllegalStateException("batch rolled back");
                }
                records.forEach(r -> processed.add(value(r.value())));
            }
        }, registry);

        List<DeadLetter> letters = awaitDeadLetters(settings, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed.size() >= good.size());
        assertThat(processed).containsExactlyElementsOf(good);
        assertThat(letters).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("cannot apply bad-1"));
        assertThat(calls.get("bad-1")).hasValue(2);
        assertThat(batchSizes).as("records of a poll go in one batch").anyMatch(size -> size > 1);
        assertThat(count("shopflow.consumer.batch.splits")).isGreaterThanOrEqualTo(1);
        assertThat(registry.get("shopflow.consumer.processed").counter().count()).isEqualTo(good.size());
        assertThat(inFlight).as("records of the poll in flight while its batch runs")
                .anyMatch(records -> records > 1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.get("shopflow.consumer.in.flight").gauge().value() == 0);
    }

    @Test
    void retriesATransientFailureInPlace() {
        consumer = ReliableConsumer.start(settings(3, 1), record -> {
            String value = value(record.value());
            if (calls.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet() < 3) {
                throw new IllegalStateException("database busy");
            }
            processed.add(value);
        }, registry);

        send("flaky");

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("flaky"));
        assertThat(calls.get("flaky")).hasValue(3);
        assertThat(registry.get("shopflow.consumer.retries").tag("stage", "in_place").counter().count()).isEqualTo(2);
    }

    @Test
    void passesThroughTheRetryTopicThenDeadLettersAndCanBeReplayed() {
        ConsumerSettings settings = settings(2, 1);
        AtomicInteger broken = new AtomicInteger(1);
        consumer = ReliableConsumer.start(settings, record -> {
            String value = value(record.value());
            calls.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet();
            if (broken.get() == 1) {
                throw new IllegalStateException("downstream unavailable");
            }
            processed.add(value);
        }, registry);

        send("stubborn");

        List<DeadLetter> letters = awaitDeadLetters(settings, 1);
        assertThat(calls.get("stubborn")).hasValue(4);
        assertThat(letters.get(0).originalTopic()).isEqualTo(topic);
        assertThat(letters.get(0).reason()).isEqualTo("downstream unavailable");
        assertThat(registry.get("shopflow.consumer.retries").tag("stage", "retry_topic").counter().count())
                .isEqualTo(1);

        broken.set(0);
        assertThat(new DeadLetters(broker.connection(), settings.deadLetterTopic())
                .replay(letters.get(0).partition(), letters.get(0).offset(), settings.topics(), settings.retryTopic()))
                .isInstanceOf(DeadLetters.Replay.Replayed.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("stubborn"));
        assertThat(new DeadLetters(broker.connection(), settings.deadLetterTopic())
                .replay(0, 99, settings.topics(), settings.retryTopic()))
                .isInstanceOf(DeadLetters.Replay.NotFound.class);
    }

    @Test
    void deadLettersARetryRecordWithAMalformedRetryHeaderAndGoesOn() {
        ConsumerSettings settings = settings(1, 2);
        consumer = ReliableConsumer.start(settings, record -> processed.add(value(record.value())), registry);
        String retryTopic = settings.retryTopic();
        String now = String.valueOf(System.currentTimeMillis());
        send(List.of(
                record(retryTopic, "due-soon", header(MessageHeaders.RETRY_DUE_AT, "soon")),
                record(retryTopic, "count-negative", header(MessageHeaders.RETRY_COUNT, "-1")),
                record(retryTopic, "count-abc", header(MessageHeaders.RETRY_COUNT, "abc")),
                record(retryTopic, "due-huge", header(MessageHeaders.RETRY_DUE_AT, "9".repeat(10_000))),
                record(retryTopic, "due-without-value", new RecordHeader(MessageHeaders.RETRY_DUE_AT, null)),
                record(retryTopic, "ok-after", header(MessageHeaders.RETRY_COUNT, "1"),
                        header(MessageHeaders.RETRY_DUE_AT, now))));

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("ok-after"));
        assertThat(awaitDeadLetters(settings, 4)).extracting(DeadLetter::key, DeadLetter::reason).containsExactly(
                tuple("k-due-soon", "Malformed header shopflow-retry-due-at: 'soon'"),
                tuple("k-count-negative", "Malformed header shopflow-retry-count: '-1'"),
                tuple("k-count-abc", "Malformed header shopflow-retry-count: 'abc'"),
                tuple("k-due-huge", "Malformed header shopflow-retry-due-at: '" + "9".repeat(64) + "...'"));
        assertThat(processed).as("a header without a value counts as absent")
                .containsExactly("due-without-value", "ok-after");
        assertThat(consumer.isRunning()).isTrue();
    }

    @Test
    void ignoresARetryCountOnAConsumedTopic() {
        ConsumerSettings settings = settings(1, 1);
        consumer = ReliableConsumer.start(settings, record -> {
            String value = value(record.value());
            calls.computeIfAbsent(value, k -> new AtomicInteger()).incrementAndGet();
            throw new IllegalStateException("cannot apply " + value);
        }, registry);

        send(List.of(record(topic, "bad-1", header(MessageHeaders.RETRY_COUNT, "abc"))));

        List<DeadLetter> letters = awaitDeadLetters(settings, 1);
        assertThat(letters).singleElement().satisfies(d -> assertThat(d.reason()).isEqualTo("cannot apply bad-1"));
        assertThat(calls.get("bad-1")).as("once from its topic, once from the retry topic").hasValue(2);
        assertThat(consumer.isRunning()).isTrue();
    }

    @Test
    void retriesARecordDueFarInTheFutureAfterTheRetryDelay() {
        ConsumerSettings settings = settings(1, 1);
        consumer = ReliableConsumer.start(settings, record -> processed.add(value(record.value())), registry);
        send(List.of(record(settings.retryTopic(), "due-now", header(MessageHeaders.RETRY_COUNT, "1"),
                header(MessageHeaders.RETRY_DUE_AT, String.valueOf(System.currentTimeMillis())))));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("due-now"));

        send(List.of(record(settings.retryTopic(), "due-in-3000", header(MessageHeaders.RETRY_COUNT, "1"), header(
                MessageHeaders.RETRY_DUE_AT, String.valueOf(Instant.parse("3000-01-01T00:00:00Z").toEpochMilli())))));

        // The retry delay (300 ms), a poll and the processing.
        await().atMost(Duration.ofSeconds(5)).until(() -> processed.contains("due-in-3000"));
        assertThat(consumer.isRunning()).isTrue();
    }

    @Test
    void deadLettersARecordNearTheLargestSizeWithoutWhatNoLongerFitsAndGoesOn() {
        ConsumerSettings settings = settings(1, 1);
        consumer = startFailingOnPoison(settings);
        // As large as a record may be by default (1 MiB): the failure headers do not fit beside it.
        byte[] huge = new byte[1024 * 1024 - 256];
        send(List.of(record(topic, "poison-huge", new RecordHeader("x-huge", huge), header("small", "kept")),
                record(topic, "ok-after")));

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("ok-after"));
        assertThat(awaitDeadLetters(settings, 1)).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("k-poison-huge");
            assertThat(d.originalTopic()).isEqualTo(topic);
            assertThat(d.reason()).isEqualTo("cannot decode poison-huge (its copy exceeded the largest record size: "
                    + "dead-lettered without its value (11 bytes), 1 of its headers)");
        });
        assertThat(consumer.isRunning()).isTrue();
    }

    @Test
    void anExceptionWithoutAMessageIsDeadLetteredWithItsClassAsTheReason() {
        ConsumerSettings settings = settings(1, 0);
        consumer = ReliableConsumer.start(settings, record -> {
            throw new IllegalStateException();
        }, registry);
        send("silent");

        assertThat(awaitDeadLetters(settings, 1)).singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("java.lang.IllegalStateException"));
    }

    @Test
    void aDeadLetterNamesWhereItsRecordCameFromNotWhatAForgedHeaderSays() {
        ConsumerSettings settings = settings(1, 1);
        consumer = ReliableConsumer.start(settings, record -> {
            throw new PermanentFailure("cannot apply " + value(record.value()), null);
        }, registry);
        send(List.of(record(topic, "forged", header(MessageHeaders.ORIGINAL_TOPIC, "shopflow.elsewhere.v1"),
                        header(MessageHeaders.ORIGINAL_OFFSET, "99")),
                record(settings.retryTopic(), "forged-retry", header(MessageHeaders.ORIGINAL_TOPIC, "garbage"))));

        assertThat(awaitDeadLetters(settings, 2)).extracting(DeadLetter::key, DeadLetter::originalTopic,
                DeadLetter::originalOffset).containsExactlyInAnyOrder(tuple("k-forged", topic, "0"),
                tuple("k-forged-retry", settings.retryTopic(), "0"));
    }

    @Test
    void retriesRecordsWrittenTogetherWithFarDueTimesAfterOneRetryDelayNotOneEach() {
        ConsumerSettings quick = settings(1, 1);
        ConsumerSettings settings = new ConsumerSettings(quick.kafka(), quick.groupId(), quick.topics(),
                quick.retryTopic(), quick.deadLetterTopic(), 1, quick.backoffBase(), quick.backoffCap(), 1,
                Duration.ofSeconds(2));
        consumer = ReliableConsumer.start(settings, record -> processed.add(value(record.value())), registry);
        send(List.of(record(settings.retryTopic(), "warm-up", header(MessageHeaders.RETRY_COUNT, "1"))));
        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("warm-up"));
        String far = String.valueOf(Instant.parse("3000-01-01T00:00:00Z").toEpochMilli());

        long sent = System.nanoTime();
        send(List.of(record(settings.retryTopic(), "far-1", header(MessageHeaders.RETRY_DUE_AT, far)),
                record(settings.retryTopic(), "far-2", header(MessageHeaders.RETRY_DUE_AT, far)),
                record(settings.retryTopic(), "far-3", header(MessageHeaders.RETRY_DUE_AT, far))));

        // One retry delay (2 s) after they were written, not 2 s after each was taken up (6 s).
        await().atMost(Duration.ofSeconds(10)).until(() -> processed.contains("far-3"));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isLessThan(Duration.ofMillis(3500));
        assertThat(processed).containsSubsequence("far-1", "far-2", "far-3");
    }

    @Test
    void deadLettersAPayloadDeclaringAHugeStringAndGoesOn() throws Exception {
        ConsumerSettings settings = settings(3, 1);
        CatalogSerde serde = new CatalogSerde();
        consumer = ReliableConsumer.start(settings, record -> processed.add(
                serde.deserialize(record.topic(), record.value()).getSchema().getName()), registry);
        byte[] approve = serde.serialize(topic, approveOrder());
        // The header of a real message (marker, fingerprint of ApproveOrder), then a 2 GB length
        // for its first string (metadata.messageId): 15 bytes in all.
        ByteArrayOutputStream huge = new ByteArrayOutputStream();
        huge.writeBytes(Arrays.copyOf(approve, 10));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(huge, null);
        encoder.writeLong(2_000_000_000L);
        encoder.flush();

        send(List.of(new ProducerRecord<>(topic, "k-huge", huge.toByteArray()),
                new ProducerRecord<>(topic, "k-approve", approve)));

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("ApproveOrder"));
        assertThat(awaitDeadLetters(settings, 1)).singleElement().satisfies(d -> {
            assertThat(d.key()).isEqualTo("k-huge");
            assertThat(d.reason()).startsWith("CORRUPT_PAYLOAD").contains("String length 2000000000 exceeds");
            assertThat(d.exception()).isEqualTo(MessageDecodingException.class.getName());
            assertThat(d.attempts()).isEqualTo("1");
        });
        assertThat(consumer.isRunning()).isTrue();
    }

    private static ApproveOrder approveOrder() {
        UUID orderId = UUID.randomUUID();
        return ApproveOrder.newBuilder()
                .setMetadata(MessageMetadata.newBuilder().setMessageId(UUID.randomUUID())
                        .setCorrelationId(orderId.toString()).setOccurredAt(Instant.now()).build())
                .setOrderId(orderId)
                .setTotalCents(4200)
                .build();
    }

    /** A consumer that records each value and fails, as an undecodable record, on those starting with "poison". */
    private ReliableConsumer startFailingOnPoison(ConsumerSettings settings) {
        return ReliableConsumer.start(settings, record -> {
            String value = value(record.value());
            if (value.startsWith("poison")) {
                throw new SerializationException("cannot decode " + value);
            }
            processed.add(value);
        }, registry);
    }

    private ConsumerSettings settings(int inPlaceAttempts, int retryTopicAttempts) {
        ConsumerSettings defaults = ConsumerSettings.defaults(broker.connection(), group, List.of(topic));
        broker.createTopic(topic, 1);
        broker.createTopic(defaults.retryTopic(), 1);
        broker.createTopic(defaults.deadLetterTopic(), 1);
        return new ConsumerSettings(defaults.kafka(), group, defaults.topics(), defaults.retryTopic(),
                defaults.deadLetterTopic(), inPlaceAttempts, Duration.ofMillis(20), Duration.ofMillis(100),
                retryTopicAttempts, Duration.ofMillis(300));
    }

    private List<DeadLetter> awaitDeadLetters(ConsumerSettings settings, int n) {
        DeadLetters deadLetters = new DeadLetters(broker.connection(), settings.deadLetterTopic());
        return await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list(10), l -> l.size() >= n);
    }

    private double count(String meter) {
        return registry.get(meter).counter().count();
    }

    private void send(String... values) {
        send(Arrays.stream(values).map(v -> record(topic, v)).toList());
    }

    private void send(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = broker.producer()) {
            for (ProducerRecord<String, byte[]> record : records) {
                producer.send(record).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code value} for topic {@code to}, with key {@code k-<value>}. */
    private static ProducerRecord<String, byte[]> record(String to, String value, Header... headers) {
        return new ProducerRecord<>(to, null, "k-" + value, value.getBytes(StandardCharsets.UTF_8), List.of(headers));
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String value(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
