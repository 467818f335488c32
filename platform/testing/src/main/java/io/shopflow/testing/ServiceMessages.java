package io.shopflow.testing;

import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.contracts.serde.MessageSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Talks to a service under test the way its peers do: Avro messages in over the real Kafka
 * broker (keyed by order id, as the relay publishes them), and what the service sends read back
 * from its outbox table (the relay is not part of a service's own tests).
 */
public final class ServiceMessages implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private final String database;
    private final MessageSerde serde = new CatalogSerde();
    /** As the super user: a test plays every peer of the service, whatever topic that is. */
    private final KafkaProducer<String, byte[]> producer = KafkaBroker.shared().producer();

    /** @param database the service's database on {@link PostgresServer#shared()} */
    public ServiceMessages(String database) {
        this.database = database;
    }

    /** Publishes {@code message} to {@code topic}, keyed by its {@code orderId}, and waits for the ack. */
    public void send(String topic, SpecificRecord message) {
        Map.Entry<String, byte[]> record = encoded(topic, message);
        sendRaw(topic, record.getKey(), record.getValue());
    }

    /**
     * Publishes the records (key, value) in one go, without waiting between them, so that they
     * reach the consumer together, in one poll: for tests of batch processing.
     */
    public void sendAllRaw(String topic, List<Map.Entry<String, byte[]>> records) {
        try {
            List<Future<?>> acks = new ArrayList<>();
            records.forEach(r -> acks.add(producer.send(new ProducerRecord<>(topic, r.getKey(), r.getValue()))));
            producer.flush();
            for (Future<?> ack : acks) {
                ack.get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish to " + topic, e);
        }
    }

    /** The encoded form of {@code message}, keyed by its {@code orderId}, for {@link #sendAllRaw}. */
    public Map.Entry<String, byte[]> encoded(String topic, SpecificRecord message) {
        UUID order = (UUID) message.get(message.getSchema().getField("orderId").pos());
        return Map.entry(order.toString(), serde.serialize(topic, message));
    }

    /** Publishes bytes as they are (poison messages). */
    public void sendRaw(String topic, String key, byte[] value) {
        sendRaw(new ProducerRecord<>(topic, key, value));
    }

    /** Publishes {@code record} as it is (headers included), waits for the ack and answers where it landed. */
    public RecordMetadata sendRaw(ProducerRecord<String, byte[]> record) {
        try {
            return producer.send(record).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not publish to " + record.topic(), e);
        }
    }

    /** Every record {@code topic} holds now, read with an assigned consumer (no group). */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaBroker.shared().connection().clientConfig(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, PATIENCE).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within " + PATIENCE);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Whether {@code consumer} (a consumer group) recorded message {@code messageId} in its inbox as processed. */
    public boolean processed(UUID messageId, String consumer) {
        try (Connection c = PostgresServer.shared().connect(database);
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM inbox WHERE message_id = ? AND consumer = ?")) {
            ps.setObject(1, messageId);
            ps.setString(2, consumer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The messages of {@code type} the service wrote to its outbox for the order, oldest first. */
    public <T extends SpecificRecord> List<T> sent(UUID orderId, Class<T> type) {
        List<T> found = new ArrayList<>();
        try (Connection c = PostgresServer.shared().connect(database);
             PreparedStatement ps = c.prepareStatement(
                     "SELECT topic, payload FROM outbox WHERE aggregate_id = ? AND message_type = ? ORDER BY position")) {
            ps.setString(1, orderId.toString());
            ps.setString(2, type.getSimpleName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(type.cast(serde.deserialize(rs.getString(1), rs.getBytes(2))));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** Waits (up to 30 s) until the service sent at least {@code count} messages of {@code type} for the order. */
    public <T extends SpecificRecord> List<T> awaitSent(UUID orderId, Class<T> type, int count) {
        return await(count + " " + type.getSimpleName() + " for order " + orderId).atMost(PATIENCE)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> sent(orderId, type), hasSize(greaterThanOrEqualTo(count)));
    }

    @Override
    public void close() {
        producer.close();
    }
}
