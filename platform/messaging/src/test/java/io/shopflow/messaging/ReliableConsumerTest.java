package io.shopflow.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
        consumer = ReliableConsumer.start(settings, record -> {
            String value = value(record.value());
            if (value.startsWith("poison")) {
                throw new SerializationException("cannot decode " + value);
            }
            processed.add(value);
        }, registry);

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
        assertThat(new DeadLetters(broker.bootstrapServers(), settings.deadLetterTopic())
                .replay(letters.get(0).partition(), letters.get(0).offset(), settings.topics()))
                .isInstanceOf(DeadLetters.Replay.Replayed.class);

        await().atMost(Duration.ofSeconds(30)).until(() -> processed.contains("stubborn"));
        assertThat(new DeadLetters(broker.bootstrapServers(), settings.deadLetterTopic()).replay(0, 99, settings.topics()))
                .isInstanceOf(DeadLetters.Replay.NotFound.class);
    }

    private ConsumerSettings settings(int inPlaceAttempts, int retryTopicAttempts) {
        ConsumerSettings defaults = ConsumerSettings.defaults(broker.bootstrapServers(), group, List.of(topic));
        broker.createTopic(topic, 1);
        broker.createTopic(defaults.retryTopic(), 1);
        broker.createTopic(defaults.deadLetterTopic(), 1);
        return new ConsumerSettings(defaults.bootstrapServers(), group, defaults.topics(), defaults.retryTopic(),
                defaults.deadLetterTopic(), inPlaceAttempts, Duration.ofMillis(20), Duration.ofMillis(100),
                retryTopicAttempts, Duration.ofMillis(300));
    }

    private List<DeadLetter> awaitDeadLetters(ConsumerSettings settings, int n) {
        DeadLetters deadLetters = new DeadLetters(broker.bootstrapServers(), settings.deadLetterTopic());
        return await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters.list(10), l -> l.size() >= n);
    }

    private double count(String meter) {
        return registry.get(meter).counter().count();
    }

    private void send(String... values) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (String v : values) {
                producer.send(new ProducerRecord<>(topic, "k-" + v, v.getBytes(StandardCharsets.UTF_8)))
                        .get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String value(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
