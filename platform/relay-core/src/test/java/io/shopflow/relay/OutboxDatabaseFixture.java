package io.shopflow.relay;

import io.shopflow.relay.RelaySettings.Source;
import io.shopflow.testing.PostgresServer;
import org.flywaydb.core.Flyway;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fresh source database on the shared PostgreSQL, migrated with the outbox module's own
 * migrations, and a writer of outbox rows whose payload names their aggregate and their sequence
 * number within it: {@code <aggregate>|<seq>|<padding>}.
 */
final class OutboxDatabaseFixture {

    static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    static final String MESSAGE_TYPE = "TestMessage";

    /** One message: its aggregate (the Kafka key) and its payload {@code <aggregate>|<seq>|xxx...}. */
    record Row(String aggregate, byte[] payload) {
    }

    private final String name;
    private final int payloadSize;
    private final int[] nextSeq;
    private final AtomicInteger committed = new AtomicInteger();

    private OutboxDatabaseFixture(String name, int aggregates, int payloadSize) {
        this.name = name;
        this.payloadSize = payloadSize;
        this.nextSeq = new int[aggregates];
    }

    /** Drops and creates database {@code name} (with its slots) and migrates it. */
    static OutboxDatabaseFixture create(String name, int aggregates) {
        return create(name, aggregates, 64);
    }

    /** No database: only {@link #nextRows} (the same messages without an outbox, for a producer). */
    static OutboxDatabaseFixture payloadsOnly(int aggregates, int payloadSize) {
        return new OutboxDatabaseFixture(null, aggregates, payloadSize);
    }

    static OutboxDatabaseFixture create(String name, int aggregates, int payloadSize) {
        OutboxDatabaseFixture database = unmigrated(name, aggregates, payloadSize);
        database.migrate();
        return database;
    }

    /** Drops and creates database {@code name} without migrating it: a source whose service has not started yet. */
    static OutboxDatabaseFixture unmigrated(String name, int aggregates, int payloadSize) {
        PostgresServer server = PostgresServer.shared();
        server.dropDatabase(name);
        server.createDatabase(name);
        return new OutboxDatabaseFixture(name, aggregates, payloadSize);
    }

    /** Applies the outbox module's migrations as the database's owner, as the service does when it starts. */
    void migrate() {
        Flyway.configure()
                .dataSource(PostgresServer.shared().jdbcUrl(name), PostgresServer.owner(name), PostgresServer.PASSWORD)
                .locations("classpath:db/shopflow-outbox")
                .load()
                .migrate();
    }

    /**
     * The source for this database, read as the relay's role with the rights production gives it; its name is the
     * database name (slot names are cluster-wide).
     */
    Source source() {
        return new Source(name, PostgresServer.shared().jdbcUrl(name), PostgresServer.RELAY_ROLE,
                PostgresServer.PASSWORD);
    }

    static String aggregate(int index) {
        return "agg-" + index;
    }

    /** Inserts {@code count} rows in one transaction, round-robin over the aggregates. */
    void insert(String topic, int count) {
        try (Connection c = connect()) {
            insert(c, topic, count);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Connection connect() throws SQLException {
        return PostgresServer.shared().connect(name);
    }

    /**
     * Inserts {@code count} rows in one transaction on {@code c}. Writers on several connections
     * run their transactions concurrently; only the choice of aggregates and sequence numbers is
     * serialized, so per-aggregate order is the commit order only for a single writer.
     */
    void insert(Connection c, String topic, int count) {
        List<Row> rows = nextRows(count);
        try {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (id, aggregate_type, aggregate_id, "
                    + "topic, message_type, payload, correlation_id, causation_id, traceparent) "
                    + "VALUES (?, 'Test', ?, ?, ?, ?, ?, NULL, ?)")) {
                for (Row row : rows) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, row.aggregate());
                    insert.setString(3, topic);
                    insert.setString(4, MESSAGE_TYPE);
                    insert.setBytes(5, row.payload());
                    insert.setString(6, "corr-" + row.aggregate());
                    insert.setString(7, TRACEPARENT);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
            committed.addAndGet(count);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows committed so far. */
    int inserted() {
        return committed.get();
    }

    /** Rows not yet deleted nor marked published. */
    long unpublished() {
        return count("SELECT count(*) FROM outbox WHERE published_at IS NULL");
    }

    long rows() {
        return count("SELECT count(*) FROM outbox");
    }

    private long count(String sql) {
        try (Connection c = PostgresServer.shared().connect(name); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next {@code count} messages, round-robin over the aggregates, numbered within each. */
    synchronized List<Row> nextRows(int count) {
        int cursor = Arrays.stream(nextSeq).sum();
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int aggregate = (cursor + i) % nextSeq.length;
            rows.add(new Row(aggregate(aggregate), payload(aggregate(aggregate), nextSeq[aggregate]++)));
        }
        return rows;
    }

    private byte[] payload(String aggregate, int seq) {
        byte[] head = (aggregate + "|" + seq + "|").getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[Math.max(payloadSize, head.length)];
        Arrays.fill(payload, (byte) 'x');
        System.arraycopy(head, 0, payload, 0, head.length);
        return payload;
    }
}
