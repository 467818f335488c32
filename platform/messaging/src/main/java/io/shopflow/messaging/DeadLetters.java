package io.shopflow.messaging;

import io.shopflow.contracts.KafkaConnection;
import io.shopflow.contracts.MessageHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Lists the records of a dead-letter topic and replays one, for operators. Reads with its own assigned
 * consumer, so it never disturbs the consumer group.
 *
 * <p>A replay goes through the consumer group's retry topic (with the original key, value and headers,
 * the original topic among them, without the other failure headers, marked as replayed, due at once): so
 * only the group that dead-lettered the record sees it again, and a service writes no topic but its own
 * retry and dead-letter topics (ADR 14) instead of another service's events.
 *
 * <p>A dead letter names its original topic in a header, which whoever produced the bad record may have
 * set: a replay happens only when that is a topic the caller names as replayable (the consumer group's own,
 * from its configuration), never for whatever the header says.
 */
public final class DeadLetters {

    /** What a replay did: replayed, refused (with the reason), or nothing at that position. */
    public sealed interface Replay {

        /** Replayed through {@code topic}, the group's retry topic. */
        record Replayed(DeadLetter letter, String topic) implements Replay {
        }

        /** Not replayed: the dead letter names no topic, or one the group does not consume. */
        record Refused(DeadLetter letter, String reason) implements Replay {
        }

        /** No dead letter at that partition and offset. */
        record NotFound() implements Replay {
        }
    }

    private final KafkaConnection kafka;
    private final String topic;

    public DeadLetters(KafkaConnection kafka, String deadLetterTopic) {
        this.kafka = kafka;
        this.topic = deadLetterTopic;
    }

    /** Up to {@code max} dead letters, oldest first per partition. */
    public List<DeadLetter> list(int max) {
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer);
            if (partitions.isEmpty()) {
                return letters;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (letters.size() < max && !caughtUp(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (letters.size() < max) {
                        letters.add(toDeadLetter(r));
                    }
                }
            }
        }
        return letters;
    }

    /**
     * Replays the dead letter at {@code partition}/{@code offset} through {@code retryTopic}, if its original
     * topic is one of {@code replayableTopics}; a negative partition or offset finds nothing.
     */
    public Replay replay(int partition, long offset, Collection<String> replayableTopics, String retryTopic) {
        if (partition < 0 || offset < 0) {
            return new Replay.NotFound();
        }
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(topic, partition);
            if (partitions(consumer).stream().noneMatch(tp::equals)) {
                return new Replay.NotFound();
            }
            consumer.assign(List.of(tp));
            if (offset >= consumer.endOffsets(List.of(tp)).get(tp)) {
                return new Replay.NotFound();
            }
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return replay(r, replayableTopics, retryTopic);
                    }
                    if (r.offset() > offset) {
                        return new Replay.NotFound();
                    }
                }
            }
            return new Replay.NotFound();
        }
    }

    private Replay replay(ConsumerRecord<String, byte[]> r, Collection<String> replayableTopics, String retryTopic) {
        DeadLetter letter = toDeadLetter(r);
        String original = letter.originalTopic();
        if (original == null || !replayableTopics.contains(original)) {
            return new Replay.Refused(letter, "The dead letter names " + (original == null ? "no original topic"
                    : "the original topic " + FailureHeaders.quote(original) + ", which is not one this consumer group reads")
                    + "; it can only be replayed onto " + replayableTopics);
        }
        RecordHeaders headers = new RecordHeaders(r.headers().toArray());
        // The original topic, partition and offset stay: the consumer counts the record under its topic, and a
        // second failure still names where it came from.
        for (String name : List.of(MessageHeaders.FAILURE_REASON, MessageHeaders.FAILURE_EXCEPTION,
                MessageHeaders.FAILURE_ATTEMPTS, MessageHeaders.FAILED_AT, MessageHeaders.RETRY_COUNT,
                MessageHeaders.RETRY_DUE_AT)) {
            headers.remove(name);
        }
        FailureHeaders.put(headers, MessageHeaders.REPLAYED_FROM, topic + "/" + r.partition() + "/" + r.offset());
        FailureHeaders.put(headers, MessageHeaders.REPLAYED_AT, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(retryTopic, null, r.key(), r.value(), headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not replay " + topic + "-" + r.partition() + "@" + r.offset(), e);
        }
        return new Replay.Replayed(letter, retryTopic);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(kafka.clientConfig(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer) {
        List<PartitionInfo> infos = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
        List<TopicPartition> partitions = new ArrayList<>();
        if (infos != null) {
            infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
        }
        return partitions;
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static DeadLetter toDeadLetter(ConsumerRecord<String, byte[]> r) {
        return new DeadLetter(r.partition(), r.offset(), r.key(),
                header(r, MessageHeaders.ORIGINAL_TOPIC), header(r, MessageHeaders.ORIGINAL_PARTITION),
                header(r, MessageHeaders.ORIGINAL_OFFSET), header(r, MessageHeaders.FAILURE_REASON),
                header(r, MessageHeaders.FAILURE_EXCEPTION), header(r, MessageHeaders.FAILURE_ATTEMPTS),
                header(r, MessageHeaders.FAILED_AT));
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        return FailureHeaders.get(r.headers(), name).orElse(null);
    }
}
