package io.shopflow.messaging;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays against the real in-JVM broker: only of the group's own topics, whatever the dead letter's header says,
 * through the group's retry topic, and marked as replayed.
 */
class DeadLettersTest {

    private final KafkaBroker broker = KafkaBroker.shared();
    private final String group = "dlq-" + UUID.randomUUID().toString().substring(0, 8);
    private final String topic = "shopflow.test." + group;
    private final String deadLetterTopic = "shopflow." + group + ".dlq";
    private final String retryTopic = "shopflow." + group + ".retry";
    private final String foreign = "shopflow.test." + group + ".foreign";

    DeadLettersTest() {
        broker.createTopic(topic, 1);
        broker.createTopic(deadLetterTopic, 1);
        broker.createTopic(retryTopic, 1);
        broker.createTopic(foreign, 1);
    }

    @Test
    void replaysThroughTheRetryTopicNamingTheOriginalTopicWithoutTheOtherFailureHeadersAndMarked() {
        long offset = deadLetter("k-1", topic);

        DeadLetters.Replay replay = new DeadLetters(broker.connection(), deadLetterTopic)
                .replay(0, offset, List.of(topic), retryTopic);

        assertThat(replay).isInstanceOf(DeadLetters.Replay.Replayed.class);
        assertThat(readAll(topic)).isEmpty();
        ConsumerRecord<String, byte[]> replayed = readAll(retryTopic).get(0);
        assertThat(replayed.key()).isEqualTo("k-1");
        assertThat(header(replayed, MessageHeaders.REPLAYED_FROM)).isEqualTo(deadLetterTopic + "/0/" + offset);
        assertThat(header(replayed, MessageHeaders.REPLAYED_AT)).isNotNull();
        assertThat(header(replayed, MessageHeaders.ORIGINAL_TOPIC)).isEqualTo(topic);
        assertThat(replayed.headers().lastHeader(MessageHeaders.FAILURE_REASON)).isNull();
        assertThat(replayed.headers().lastHeader(MessageHeaders.RETRY_COUNT)).isNull();
    }

    @Test
    void refusesATopicTheGroupDoesNotReadWhateverTheHeaderSays() {
        // Whoever produced the bad record set its original-topic header: to another service's commands, say.
        long forged = deadLetter("k-2", foreign);
        long none = deadLetter("k-3", null);
        DeadLetters deadLetters = new DeadLetters(broker.connection(), deadLetterTopic);

        DeadLetters.Replay refused = deadLetters.replay(0, forged, List.of(topic), retryTopic);
        DeadLetters.Replay withoutTopic = deadLetters.replay(0, none, List.of(topic), retryTopic);

        assertThat(refused).isInstanceOfSatisfying(DeadLetters.Replay.Refused.class, r -> assertThat(r.reason())
                .contains("'" + foreign + "', which is not one this consumer group reads", topic));
        assertThat(withoutTopic).isInstanceOfSatisfying(DeadLetters.Replay.Refused.class,
                r -> assertThat(r.reason()).contains("no original topic"));
        assertThat(readAll(foreign)).isEmpty();
        assertThat(readAll(retryTopic)).isEmpty();
    }

    @Test
    void findsNothingAtANegativeOrMissingPosition() {
        DeadLetters deadLetters = new DeadLetters(broker.connection(), deadLetterTopic);

        assertThat(deadLetters.replay(0, -1, List.of(topic), retryTopic)).isInstanceOf(DeadLetters.Replay.NotFound.class);
        assertThat(deadLetters.replay(-1, 0, List.of(topic), retryTopic)).isInstanceOf(DeadLetters.Replay.NotFound.class);
        assertThat(deadLetters.replay(0, 99, List.of(topic), retryTopic)).isInstanceOf(DeadLetters.Replay.NotFound.class);
    }

    /** A dead letter as a consumer writes one, naming {@code originalTopic} (none when null); returns its offset. */
    private long deadLetter(String key, String originalTopic) {
        RecordHeaders headers = new RecordHeaders();
        if (originalTopic != null) {
            FailureHeaders.put(headers, MessageHeaders.ORIGINAL_TOPIC, originalTopic);
        }
        FailureHeaders.put(headers, MessageHeaders.FAILURE_REASON, "cannot decode");
        try (KafkaProducer<String, byte[]> producer = broker.producer()) {
            return producer.send(new ProducerRecord<>(deadLetterTopic, null, key,
                    "payload".getBytes(StandardCharsets.UTF_8), headers)).get(10, TimeUnit.SECONDS).offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<ConsumerRecord<String, byte[]>> readAll(String from) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(broker.connection().clientConfig(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)), new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(from, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return FailureHeaders.get(record.headers(), name).orElse(null);
    }
}
