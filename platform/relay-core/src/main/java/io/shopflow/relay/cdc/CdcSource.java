package io.shopflow.relay.cdc;

import io.shopflow.contracts.Backoff;
import io.shopflow.relay.RelaySettings;
import io.shopflow.relay.RelaySettings.Source;
import io.shopflow.relay.publish.KafkaPublisher;
import io.shopflow.relay.publish.OutboxRecord;
import io.shopflow.relay.publish.SourceConnections;
import io.shopflow.relay.publish.SourceRelay;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relays one source by logical decoding: its replication slot ({@code shopflow_relay_<name>},
 * plugin {@code pgoutput}) on the {@code shopflow_outbox} publication, read with pgjdbc's
 * replication API (see ADR 11 for why not Debezium). Three threads form a pipeline, so that
 * reading, publishing and clean-up overlap:
 * <ol>
 *   <li>the <b>reader</b> creates the slot if it is missing, queues every row already in the outbox
 *       (written before the slot existed, or left behind by a crash), then streams the slot: each
 *       committed transaction's outbox rows, in commit order. While the source is quiet it blocks in
 *       the socket read: no poll interval, no CPU at idle, no wait added to a message.</li>
 *   <li>the <b>sender</b> publishes what is queued, transactions merged up to {@code batch-size}
 *       records, with the {@link KafkaPublisher} (in order, retried until acknowledged).</li>
 *   <li>the <b>confirmer</b> deletes the rows Kafka acknowledged, then confirms their commit
 *       position to the slot.</li>
 * </ol>
 * The slot's confirmed position is the relay's only offset: after a crash the relay resumes with
 * the first transaction not yet acknowledged and deleted, so at most that unconfirmed tail is
 * published twice, never lost. At most {@value #READ_AHEAD_BATCHES} batches of records are read
 * ahead of Kafka's acknowledgements; while they wait, the reader keeps the replication connection
 * alive with status updates.
 */
public final class CdcSource implements SourceRelay {

    private static final Logger LOG = Logger.getLogger(CdcSource.class);

    /** The publication the services' outbox migration creates (inserts into {@code outbox} only). */
    static final String PUBLICATION = "shopflow_outbox";
    /** PostgreSQL's undefined_object: a publication (or any object named) does not exist. */
    private static final String UNDEFINED_OBJECT = "42704";
    private static final int READ_AHEAD_BATCHES = 4;
    /** The prefix of the logical decoding message that wakes the reader to stop. */
    private static final String WAKE_UP = "shopflow-relay-wake-up";
    private static final String SCAN = "SELECT position, " + OutboxRecord.COLUMNS
            + " FROM outbox WHERE published_at IS NULL AND position > ? ORDER BY position LIMIT ?";
    private static final String DELETE = "DELETE FROM outbox WHERE id = ANY (?)";

    /** Outbox records of one transaction (or batch, or scanned page), and the position that confirms them (0: none). */
    private record Chunk(List<OutboxRecord> records, long endLsn) {
    }

    /** Tells the sender, then the confirmer, that nothing follows. */
    private static final Chunk END = new Chunk(List.of(), -1);

    private final Source source;
    private final KafkaPublisher publisher;
    private final Backoff reconnectBackoff;
    /** A stream that lasted this long starts the reconnect backoff over: the backoff's cap. */
    private final Duration stableStream;
    private final AtomicLong failedAttempts = new AtomicLong();
    private final int batchSize;
    private final int readAhead;
    private final Duration closeTimeout;
    private final Duration linger;
    private final Semaphore capacity;
    private final BlockingQueue<Chunk> toPublish = new LinkedBlockingQueue<>();
    private final BlockingQueue<Chunk> toConfirm = new LinkedBlockingQueue<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean drained = new AtomicBoolean();
    private final Thread reader;
    private final Thread sender;
    private final Thread confirmer;
    private volatile Connection replication;
    private volatile PGReplicationStream stream;
    private volatile boolean streaming;
    /** The end of the last transaction whose rows were acknowledged and deleted. */
    private volatile long confirmed;

    private CdcSource(Source source, RelaySettings settings, KafkaPublisher publisher) {
        this.source = source;
        this.publisher = publisher;
        this.reconnectBackoff = new Backoff(settings.backoffBase(), settings.backoffCap());
        this.stableStream = settings.backoffCap();
        this.batchSize = settings.batchSize();
        this.readAhead = settings.batchSize() * READ_AHEAD_BATCHES;
        this.capacity = new Semaphore(readAhead);
        this.closeTimeout = settings.deliveryTimeout().plusSeconds(10);
        this.linger = settings.linger();
        this.reader = new Thread(this::read, "shopflow-relay-cdc-" + source.name());
        this.sender = new Thread(this::send, "shopflow-relay-send-" + source.name());
        this.confirmer = new Thread(this::confirm, "shopflow-relay-confirm-" + source.name());
    }

    /** Starts relaying {@code source}; returns at once, {@link #isStreaming()} tells when changes flow. */
    public static CdcSource start(Source source, RelaySettings settings, KafkaPublisher publisher) {
        CdcSource cdc = new CdcSource(source, settings, publisher);
        cdc.confirmer.start();
        cdc.sender.start();
        cdc.reader.start();
        return cdc;
    }

    @Override
    public String name() {
        return source.name();
    }

    /** The outbox rows present at start are queued and the slot streams. */
    @Override
    public boolean isStreaming() {
        return streaming && closing.getCount() > 0;
    }

    @Override
    public boolean isAlive() {
        return reader.isAlive();
    }

    @Override
    public long failedAttempts() {
        return failedAttempts.get();
    }

    /**
     * Stops reading, publishes and confirms what was read (a publish still failing ends at its
     * current attempt), reports the last confirmed position to the slot and disconnects.
     */
    @Override
    public void close() {
        closing.countDown();
        publisher.stopRetrying();
        wakeUpReader();
        try {
            reader.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publisher.close();
    }

    // ---- reader -------------------------------------------------------------------------------

    private void read() {
        int failures = 0;
        Transactions transactions = null;
        try {
            while (closing.getCount() > 0) {
                long streamingSince = 0;
                try (Connection connection = SourceConnections.openReplication(source)) {
                    replication = connection;
                    requirePublication(connection);
                    // A slot created while running (the old one was dropped, or lost in a failover)
                    // starts after rows the old one had not streamed: they are in the outbox, scan again.
                    if (createSlotIfMissing(connection) || transactions == null) {
                        transactions = scanOutbox();
                    }
                    PGReplicationStream started = startStreaming(connection);
                    stream = started;
                    streaming = true;
                    streamingSince = System.nanoTime();
                    try {
                        stream(started, transactions);
                    } finally {
                        streaming = false;
                        stream = null;
                    }
                    finish(started);
                    return;
                } catch (SQLException | RuntimeException e) {
                    if (closing.getCount() == 0) {
                        return;
                    }
                    // The server may accept the stream and fail on its first change: only a stream that
                    // lasted starts the backoff over, or such a failure would retry at the base delay for ever.
                    if (streamingSince != 0 && System.nanoTime() - streamingSince >= stableStream.toNanos()) {
                        failures = 0;
                    }
                    failures++;
                    failedAttempts.incrementAndGet();
                    Duration delay = reconnectBackoff.delay(failures);
                    LOG.warnf("Streaming the outbox of source %s failed (attempt %d): %s; reconnecting in %d ms",
                            source.name(), failures, e.getMessage(), delay.toMillis());
                    if (e instanceof SQLException sql && UNDEFINED_OBJECT.equals(sql.getSQLState())
                            && String.valueOf(sql.getMessage()).contains("publication \"" + PUBLICATION + "\"")) {
                        dropSlotOlderThanPublication();
                    }
                    if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                } finally {
                    replication = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drain();
        }
    }

    /**
     * The slot may only be created once the outbox's publication exists: pgoutput reads the publication as of
     * each change's position, so a slot created before it (a relay started before its service's migrations)
     * fails on every change it streams, for good.
     */
    private void requirePublication(Connection connection) throws SQLException {
        if (!publicationExists(connection)) {
            throw new SQLException("the publication " + PUBLICATION + " does not exist yet: source "
                    + source.name() + "'s service has not applied the outbox migration", UNDEFINED_OBJECT);
        }
    }

    private static boolean publicationExists(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_publication WHERE pubname = ?")) {
            exists.setString(1, PUBLICATION);
            try (ResultSet rs = exists.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * The stream failed on the publication although it exists: the slot was created before it (by a relay that
     * did not wait for it) and will fail on every change. Dropping it loses nothing: the next attempt creates a new
     * slot and scans the outbox first. Tried once per failure; an active slot (its walsender not yet gone) stays
     * until the next one.
     */
    private void dropSlotOlderThanPublication() {
        try (Connection connection = SourceConnections.open(source);
             PreparedStatement drop = connection.prepareStatement("SELECT pg_drop_replication_slot(slot_name) "
                     + "FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            if (!publicationExists(connection)) {
                return;
            }
            drop.setString(1, source.slotName());
            try (ResultSet rs = drop.executeQuery()) {
                if (rs.next()) {
                    LOG.warnf("Source %s: dropped the replication slot %s, created before the publication %s; the"
                            + " next attempt creates it again and scans the outbox", source.name(), source.slotName(),
                            PUBLICATION);
                }
            }
        } catch (SQLException e) {
            LOG.debugf("Source %s: dropping the slot failed (%s); tried again after the next failure", source.name(),
                    e.getMessage());
        }
    }

    /** Whether the slot had to be created. */
    private boolean createSlotIfMissing(Connection connection) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(
                "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            exists.setString(1, source.slotName());
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        connection.unwrap(PGConnection.class).getReplicationAPI().createReplicationSlot().logical()
                .withSlotName(source.slotName()).withOutputPlugin("pgoutput").make();
        LOG.infof("Source %s: created the replication slot %s", source.name(), source.slotName());
        return true;
    }

    /**
     * Queues every unpublished row present, in insert order: rows written before the slot existed,
     * and rows a crash left behind, are not forgotten. The stream then skips the scanned rows it
     * replays, up to the position the scan ended at.
     */
    private Transactions scanOutbox() throws SQLException, InterruptedException {
        long after = 0;
        Set<UUID> scanned = new HashSet<>();
        try (Connection connection = SourceConnections.open(source);
             PreparedStatement scan = connection.prepareStatement(SCAN)) {
            while (closing.getCount() > 0) {
                scan.setLong(1, after);
                scan.setInt(2, batchSize);
                List<OutboxRecord> page = new ArrayList<>();
                try (ResultSet rs = scan.executeQuery()) {
                    while (rs.next()) {
                        after = rs.getLong("position");
                        page.add(OutboxRecord.read(rs));
                    }
                }
                if (page.isEmpty() || !enqueue(new Chunk(page, 0), null)) {
                    break;
                }
                page.forEach(record -> scanned.add(record.id()));
            }
            if (!scanned.isEmpty()) {
                LOG.infof("Source %s: queued the %d outbox rows present at start", source.name(), scanned.size());
            }
            // Read after the scan: every row it saw was committed before this position.
            try (Statement position = connection.createStatement();
                 ResultSet rs = position.executeQuery("SELECT pg_current_wal_lsn()")) {
                rs.next();
                return new Transactions(scanned, LogSequenceNumber.valueOf(rs.getString(1)).asLong());
            }
        }
    }

    private PGReplicationStream startStreaming(Connection connection) throws SQLException {
        PGReplicationStream started = connection.unwrap(PGConnection.class).getReplicationAPI()
                .replicationStream().logical()
                .withSlotName(source.slotName())
                .withSlotOption("proto_version", "1")
                .withSlotOption("publication_names", PUBLICATION)
                .withSlotOption("binary", "true")
                .withSlotOption("messages", "true")
                // While messages flow; a quiet source answers the server's keepalives instead.
                .withStatusInterval(250, TimeUnit.MILLISECONDS)
                .start();
        if (confirmed > 0) {
            report(started, confirmed);
        }
        return started;
    }

    /** Reads committed transactions into the queue until closing. */
    private void stream(PGReplicationStream started, Transactions transactions) throws SQLException, InterruptedException {
        PgOutput decoder = new PgOutput();
        transactions.begin();
        while (closing.getCount() > 0) {
            ByteBuffer message = started.read();
            if (message == null) {
                throw new SQLException("The server ended the replication stream");
            }
            decoder.decode(message, transactions);
            Chunk committed = transactions.takeCommitted();
            if (committed != null && !enqueue(committed, started)) {
                break;
            }
        }
    }

    /**
     * Puts {@code chunk} in the publish queue once the read-ahead allows it; false if the relay
     * began closing meanwhile (the chunk is then neither published nor confirmed).
     */
    private boolean enqueue(Chunk chunk, PGReplicationStream keepAlive) throws SQLException, InterruptedException {
        int permits = Math.min(chunk.records().size(), readAhead);
        while (!capacity.tryAcquire(permits, 1, TimeUnit.SECONDS)) {
            if (closing.getCount() == 0) {
                return false;
            }
            if (keepAlive != null) {
                // Kafka is slow or down: tell the server we are alive, or it ends the connection.
                keepAlive.forceUpdateStatus();
            }
        }
        toPublish.add(chunk);
        return true;
    }

    /** Once the sender and confirmer are done, tells the slot the last confirmed position. */
    private void finish(PGReplicationStream started) throws SQLException {
        drain();
        if (confirmed > 0) {
            report(started, confirmed);
            started.forceUpdateStatus();
        }
        started.close();
    }

    /** Ends the sender and the confirmer once they have handled everything queued; waits for them. */
    private void drain() {
        if (drained.compareAndSet(false, true)) {
            toPublish.add(END);
        }
        try {
            sender.join(closeTimeout.toMillis());
            confirmer.join(closeTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Makes a reader blocked in its read return: a logical decoding message, or failing that, a broken connection. */
    private void wakeUpReader() {
        try (Connection connection = SourceConnections.open(source);
             Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_logical_emit_message(false, '" + WAKE_UP + "', '')");
        } catch (SQLException e) {
            LOG.debugf("Source %s: waking the reader by a message failed (%s); closing its connection",
                    source.name(), e.getMessage());
            Connection current = replication;
            if (current != null) {
                try {
                    current.abort(Runnable::run);
                } catch (SQLException ignored) {
                    // Already closed.
                }
            }
        }
    }

    /**
     * Collects each transaction's outbox records. Skips what is queued already: transactions
     * streamed again after a reconnect, and rows of the start-up scan until the stream passes the
     * position the scan ended at.
     */
    private static final class Transactions implements PgOutput.Listener {
        private List<OutboxRecord> current = new ArrayList<>();
        private Chunk committed;
        private long queuedLsn;
        private Set<UUID> scanned;
        private final long scannedThrough;

        Transactions(Set<UUID> scanned, long scannedThrough) {
            this.scanned = scanned;
            this.scannedThrough = scannedThrough;
        }

        @Override
        public void begin() {
            current = new ArrayList<>();
        }

        @Override
        public void insert(OutboxRecord record) {
            if (scanned == null || !scanned.remove(record.id())) {
                current.add(record);
            }
        }

        @Override
        public void commit(long endLsn) {
            if (endLsn > queuedLsn) {
                committed = new Chunk(current, endLsn);
                queuedLsn = endLsn;
            }
            if (endLsn > scannedThrough) {
                scanned = null;
            }
            current = new ArrayList<>();
        }

        /**
         * The wake-up on close (the loop then sees the relay closing). Queued as an empty chunk, so
         * that its position is confirmed after everything read before it: were it left
         * unconfirmed, the next start would receive it again, and pgjdbc moves a quiet slot forward
         * only once the last message received is confirmed.
         */
        @Override
        public void message(long endLsn) {
            if (endLsn > queuedLsn) {
                committed = new Chunk(List.of(), endLsn);
                queuedLsn = endLsn;
            }
        }

        Chunk takeCommitted() {
            Chunk taken = committed;
            committed = null;
            return taken;
        }
    }

    // ---- sender -------------------------------------------------------------------------------

    private void send() {
        try {
            Chunk carried = null;
            boolean end = false;
            while (!end) {
                Chunk first = carried != null ? carried : toPublish.take();
                carried = null;
                if (first == END) {
                    return;
                }
                List<Chunk> chunks = new ArrayList<>();
                chunks.add(first);
                int size = first.records().size();
                // Transactions committed within the linger join the batch: one publish, and downstream
                // one consumer transaction, for several of them. A transaction is never split, so only
                // one larger than batch-size makes a larger batch.
                long deadline = System.nanoTime() + linger.toNanos();
                while (size < batchSize) {
                    Chunk next = toPublish.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    if (next == END) {
                        end = true;
                        break;
                    }
                    if (size + next.records().size() > batchSize) {
                        carried = next;
                        break;
                    }
                    chunks.add(next);
                    size += next.records().size();
                }
                publish(chunks, size);
            }
        } catch (InterruptedException e) {
            // Closing while a batch still failed: it is not confirmed, so the next start publishes it.
        } finally {
            toConfirm.add(END);
        }
    }

    private void publish(List<Chunk> chunks, int size) throws InterruptedException {
        List<OutboxRecord> batch = new ArrayList<>(size);
        long endLsn = 0;
        int permits = 0;
        for (Chunk chunk : chunks) {
            batch.addAll(chunk.records());
            endLsn = Math.max(endLsn, chunk.endLsn());
            permits += Math.min(chunk.records().size(), readAhead);
        }
        if (!batch.isEmpty()) {
            publisher.publish(batch, (from, to) -> { });
        }
        capacity.release(permits);
        toConfirm.add(new Chunk(batch, endLsn));
    }

    // ---- confirmer ----------------------------------------------------------------------------

    private void confirm() {
        List<UUID> published = new ArrayList<>();
        long publishedLsn = 0;
        Connection connection = null;
        try {
            boolean end = false;
            while (!end) {
                Chunk chunk = toConfirm.take();
                for (; chunk != null; chunk = toConfirm.poll()) {
                    if (chunk == END) {
                        end = true;
                        break;
                    }
                    chunk.records().forEach(record -> published.add(record.id()));
                    publishedLsn = Math.max(publishedLsn, chunk.endLsn());
                }
                try {
                    if (!published.isEmpty()) {
                        if (connection == null) {
                            connection = SourceConnections.open(source);
                        }
                        delete(connection, published);
                        published.clear();
                    }
                    confirmPosition(publishedLsn);
                } catch (SQLException e) {
                    // Published all the same: kept for the next round, and a later start would publish them again.
                    LOG.warnf("Could not delete %d published outbox rows of source %s; retrying with the next batch: %s",
                            published.size(), source.name(), e.getMessage());
                    closeQuietly(connection);
                    connection = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(connection);
        }
    }

    private static void delete(Connection connection, List<UUID> ids) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
            delete.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            delete.executeUpdate();
        }
    }

    /** Lets the slot move past {@code lsn}: sent with the reader's next status update. */
    private void confirmPosition(long lsn) {
        if (lsn <= confirmed) {
            return;
        }
        confirmed = lsn;
        PGReplicationStream current = stream;
        if (current != null) {
            report(current, lsn);
        }
    }

    /** Sets the position {@code stream}'s next status update confirms (flushed and applied alike). */
    private static void report(PGReplicationStream stream, long lsn) {
        LogSequenceNumber position = LogSequenceNumber.valueOf(lsn);
        stream.setFlushedLSN(position);
        stream.setAppliedLSN(position);
    }

    private void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("Closing the delete connection of %s: %s", source.name(), e.getMessage());
            }
        }
    }
}
