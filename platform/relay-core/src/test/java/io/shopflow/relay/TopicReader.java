package io.shopflow.relay;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.testing.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reads a whole topic from the beginning, partition by partition order kept. */
final class TopicReader implements AutoCloseable {

    /** One consumed record, parsed back into what {@link OutboxDatabaseFixture} wrote. */
    record Received(String key, String aggregate, int seq, String messageId, Map<String, String> headers,
                    long receivedAtMillis) {

        Instant occurredAt() {
            return Instant.parse(headers.get(MessageHeaders.OCCURRED_AT));
        }
    }

    private static final int PARTITIONS = 4;

    private final KafkaConsumer<byte[], byte[]> consumer;

    TopicReader(String topic) {
        KafkaBroker.shared().createTopic(topic, PARTITIONS);
        consumer = new KafkaConsumer<>(KafkaBroker.shared().connection().clientConfig(Map.of(
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        // CreateTopics returns once the controller committed the topic; the broker learns of it a moment
        // later, and until then answers metadata requests without its partitions.
        List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList(), found -> found.size() == PARTITIONS);
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /**
     * Polls until {@code distinct} different message ids arrived, failing after {@code timeout};
     * returns everything read, duplicates included.
     */
    List<Received> readUntil(int distinct, Duration timeout) {
        List<Received> all = new ArrayList<>();
        readUntil(distinct, timeout, all::add);
        return all;
    }

    void readUntil(int distinct, Duration timeout, Consumer<Received> sink) {
        Set<String> ids = new HashSet<>();
        // The consumer's poll is the wait (no pause between polls: the benchmark times each record's
        // arrival); a consumer is single-threaded, so it is polled on the caller's thread.
        await().atMost(timeout).pollInSameThread().pollInterval(Duration.ZERO).untilAsserted(() -> {
            var records = consumer.poll(Duration.ofMillis(100));
            long now = System.currentTimeMillis();
            for (ConsumerRecord<byte[], byte[]> record : records) {
                Received received = parse(record, now);
                ids.add(received.messageId());
                sink.accept(received);
            }
            assertThat(ids.size()).as("distinct message ids read").isGreaterThanOrEqualTo(distinct);
        });
    }

    private static Received parse(ConsumerRecord<byte[], byte[]> record, long now) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            // Kafka Connect writes a header for a NULL column (causation_id) with no value.
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        String[] payload = new String(record.value(), StandardCharsets.UTF_8).split("\\|", 3);
        return new Received(new String(record.key(), StandardCharsets.UTF_8), payload[0], Integer.parseInt(payload[1]),
                headers.get(MessageHeaders.MESSAGE_ID), headers, now);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
