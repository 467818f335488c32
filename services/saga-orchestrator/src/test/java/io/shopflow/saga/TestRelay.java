package io.shopflow.saga;

import io.shopflow.contracts.KafkaAccess;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.PostgresServer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The relay's part in the orchestrator's tests, as its polling mode does it: publishes the rows of
 * the {@code sagas} outbox to Kafka (key = aggregate id, value = payload) and marks them published
 * once acknowledged. Participants in a test then receive the saga's commands, and the deadline
 * scan sees them leave the outbox, as in the running system. Rows stay (marked), so tests still
 * read what the saga sent from the outbox.
 */
final class TestRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(TestRelay.class);

    private static final String UNPUBLISHED = "SELECT id, aggregate_id, topic, payload FROM outbox "
            + "WHERE published_at IS NULL ORDER BY position LIMIT 500";
    private static final String MARK = "UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY (?)";

    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-relay"));
    /** As the relay's principal: what it may publish is all the saga's outbox needs. */
    private final KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
            KafkaBroker.shared().connection(KafkaAccess.RELAY).clientConfig(Map.of(ProducerConfig.ACKS_CONFIG, "all")),
            new ByteArraySerializer(), new ByteArraySerializer());

    private TestRelay() {
    }

    static TestRelay start() {
        TestRelay relay = new TestRelay();
        relay.executor.scheduleWithFixedDelay(relay::publishOnce, 0, 50, TimeUnit.MILLISECONDS);
        return relay;
    }

    private void publishOnce() {
        try (Connection c = PostgresServer.shared().connect("sagas")) {
            List<UUID> published = new ArrayList<>();
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            try (PreparedStatement select = c.prepareStatement(UNPUBLISHED); ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    published.add(rs.getObject(1, UUID.class));
                    acks.add(producer.send(new ProducerRecord<>(rs.getString(3),
                            rs.getString(2).getBytes(StandardCharsets.UTF_8), rs.getBytes(4))));
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(10, TimeUnit.SECONDS);
            }
            if (!published.isEmpty()) {
                try (PreparedStatement mark = c.prepareStatement(MARK)) {
                    mark.setArray(1, c.createArrayOf("uuid", published.toArray()));
                    mark.executeUpdate();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (SQLException | ExecutionException | TimeoutException e) {
            // Like the relay: nothing is marked, the same rows are published again at the next tick.
            LOG.warnf("Test relay: %s; publishing again at the next tick", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(30, TimeUnit.SECONDS);
        producer.close();
    }
}
