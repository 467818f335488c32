package io.shopflow.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PostgresServer#restart()} as the {@code postgres-restart} drill uses it: with the relay's
 * replication stream open and clients connected. A fast shutdown ends the clients but waits for each
 * walsender until its client confirms all WAL, up to the shutdown checkpoint; the relay confirms only
 * what it has published and deleted, which it cannot do while the server shuts down.
 */
class PostgresServerTest {

    private static final String DATABASE = "restarted";
    private static final String SLOT = "restart_test";

    @TempDir
    Path data;

    private PostgresServer server;

    @BeforeEach
    void start() throws SQLException {
        server = PostgresServer.start(data, 0);
        server.createDatabase(DATABASE);
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id int PRIMARY KEY)");
            s.execute("INSERT INTO kept VALUES (1)");
            s.execute("CREATE PUBLICATION restart_test FOR ALL TABLES");
            s.execute("SELECT pg_create_logical_replication_slot('" + SLOT + "', 'pgoutput')");
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void restartsWithAnUnconfirmedReplicationStreamAndClientsConnected() throws Exception {
        Connection client = server.connect(DATABASE);
        Connection replication = replicationConnection();
        PGReplicationStream stream = replication.unwrap(PGConnection.class).getReplicationAPI()
                .replicationStream().logical()
                .withSlotName(SLOT)
                .withSlotOption("proto_version", "1")
                .withSlotOption("publication_names", "restart_test")
                .withStatusInterval(250, TimeUnit.MILLISECONDS)
                .start();
        CountDownLatch received = new CountDownLatch(1);
        // Like the relay's reader: reads (answering the server's keepalives) but confirms nothing
        // it has not yet handled, here nothing at all.
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                while (stream.read() != null) {
                    received.countDown();
                }
            } catch (SQLException e) {
                // The server went away: what the test expects.
            }
        });
        try (Statement s = client.createStatement()) {
            s.execute("INSERT INTO kept VALUES (2)");
        }
        assertThat(received.await(10, TimeUnit.SECONDS)).as("the stream delivered the insert").isTrue();
        int port = server.port();

        long started = System.nanoTime();
        server.restart();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).as("restart time").isLessThan(Duration.ofSeconds(30));
        assertThat(server.port()).isEqualTo(port);
        assertThat(client.isValid(1)).as("a client connection survived the restart").isFalse();
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
            rs.next();
            assertThat(rs.getInt(1)).as("committed rows after the restart").isEqualTo(2);
            ResultSet slot = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                    + SLOT + "'");
            slot.next();
            assertThat(slot.getInt(1)).as("the replication slot after the restart").isEqualTo(1);
        }
        reader.join(Duration.ofSeconds(10));
        assertThat(reader.isAlive()).as("the replication stream ended with the old server").isFalse();
        client.close();
        replication.close();
    }

    @Test
    void refusesConnectionsWhileStoppedThenServesTheSameDataOnTheSamePort() throws Exception {
        int port = server.port();

        server.stop();
        assertThatThrownBy(() -> server.connect(DATABASE).close()).as("a connection while stopped")
                .isInstanceOf(SQLException.class);

        server.start();
        assertThat(server.port()).isEqualTo(port);
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM kept")) {
            rs.next();
            assertThat(rs.getInt(1)).as("rows after the outage").isEqualTo(1);
        }
    }

    private Connection replicationConnection() throws SQLException {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, PostgresServer.USER);
        PGProperty.PASSWORD.set(properties, PostgresServer.PASSWORD);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "17");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return DriverManager.getConnection(server.jdbcUrl(DATABASE), properties);
    }
}
