package io.shopflow.relay.polling;

import io.shopflow.contracts.Backoff;
import io.shopflow.relay.RelaySettings;
import io.shopflow.relay.RelaySettings.OnAck;
import io.shopflow.relay.RelaySettings.Source;
import io.shopflow.relay.publish.KafkaPublisher;
import io.shopflow.relay.publish.OutboxRecord;
import io.shopflow.relay.publish.SourceConnections;
import io.shopflow.relay.publish.SourceRelay;
import org.jboss.logging.Logger;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relays one source by polling, for databases without logical replication. Each batch is one
 * transaction: lock the oldest unpublished rows ({@code FOR UPDATE SKIP LOCKED}), publish them,
 * and, once Kafka acknowledged all of them, delete them or set {@code published_at}; then commit.
 * A failure before the commit leaves the rows unpublished for the next poll.
 *
 * <p>{@code position} orders rows by insert, not by commit: two transactions writing the same
 * aggregate concurrently could commit out of order. Services serialize writes per aggregate (the
 * aggregate row is updated in the same transaction), so per-aggregate order holds.
 */
public final class PollingSource implements SourceRelay {

    private static final Logger LOG = Logger.getLogger(PollingSource.class);

    private static final String SELECT = "SELECT " + OutboxRecord.COLUMNS
            + " FROM outbox WHERE published_at IS NULL ORDER BY position LIMIT ? FOR UPDATE SKIP LOCKED";
    private static final String DELETE = "DELETE FROM outbox WHERE id = ANY (?)";
    private static final String MARK = "UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY (?)";

    private final Source source;
    private final KafkaPublisher publisher;
    private final Backoff reconnectBackoff;
    private final int batchSize;
    private final Duration pollInterval;
    private final String onAckStatement;
    private final Thread loop;
    private final AtomicLong failedAttempts = new AtomicLong();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean polling;

    private PollingSource(Source source, RelaySettings settings, KafkaPublisher publisher) {
        this.source = source;
        this.publisher = publisher;
        this.reconnectBackoff = new Backoff(settings.backoffBase(), settings.backoffCap());
        this.batchSize = settings.batchSize();
        this.pollInterval = settings.pollInterval();
        this.onAckStatement = settings.onAck() == OnAck.DELETE ? DELETE : MARK;
        this.loop = new Thread(this::run, "shopflow-relay-polling-" + source.name());
    }

    /** Starts polling {@code source}; returns at once. */
    public static PollingSource start(Source source, RelaySettings settings, KafkaPublisher publisher) {
        PollingSource polling = new PollingSource(source, settings, publisher);
        polling.loop.start();
        return polling;
    }

    @Override
    public String name() {
        return source.name();
    }

    /** The last poll reached the database. */
    @Override
    public boolean isStreaming() {
        return polling && closing.getCount() > 0;
    }

    @Override
    public boolean isAlive() {
        return loop.isAlive();
    }

    @Override
    public long failedAttempts() {
        return failedAttempts.get();
    }

    @Override
    public void close() {
        closing.countDown();
        publisher.stopRetrying();
        try {
            loop.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }

    private void run() {
        int failures = 0;
        while (closing.getCount() > 0) {
            try (Connection connection = SourceConnections.open(source)) {
                connection.setAutoCommit(false);
                while (closing.getCount() > 0) {
                    int published = pollOnce(connection);
                    polling = true;
                    failures = 0;
                    if (published < batchSize && closing.await(pollInterval.toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                }
            } catch (SQLException e) {
                polling = false;
                failures++;
                failedAttempts.incrementAndGet();
                Duration delay = reconnectBackoff.delay(failures);
                LOG.warnf("Polling the outbox of source %s failed (attempt %d): %s; retrying in %d ms",
                        source.name(), failures, e.getMessage(), delay.toMillis());
                try {
                    if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
            } catch (InterruptedException e) {
                // Stopping: the open transaction rolls back with the connection, the rows stay unpublished.
                return;
            } finally {
                polling = false;
            }
        }
    }

    /** One transaction: lock a batch, publish it, delete or mark it, commit. */
    private int pollOnce(Connection connection) throws SQLException, InterruptedException {
        boolean committed = false;
        try {
            List<OutboxRecord> batch = select(connection);
            if (!batch.isEmpty()) {
                publisher.publish(batch, (from, to) -> { });
                acknowledge(connection, batch);
            }
            connection.commit();
            committed = true;
            return batch.size();
        } finally {
            if (!committed) {
                rollbackQuietly(connection);
            }
        }
    }

    private void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // The connection is gone; so is its transaction.
            LOG.debugf("Rollback on source %s: %s", source.name(), e.getMessage());
        }
    }

    private List<OutboxRecord> select(Connection connection) throws SQLException {
        List<OutboxRecord> batch = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(SELECT)) {
            select.setInt(1, batchSize);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    batch.add(OutboxRecord.read(rs));
                }
            }
        }
        return batch;
    }

    private void acknowledge(Connection connection, List<OutboxRecord> batch) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(onAckStatement)) {
            Array ids = connection.createArrayOf("uuid", batch.stream().map(OutboxRecord::id).toArray());
            statement.setArray(1, ids);
            statement.executeUpdate();
        }
    }
}
