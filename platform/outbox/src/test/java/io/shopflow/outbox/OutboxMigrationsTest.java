package io.shopflow.outbox;

import io.shopflow.testing.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The library's migrations are versioned {@code 0.x}, below a service's own: on a new database
 * they run first, but a later library version adds a {@code 0.x} below what a running
 * database already has. Flyway applies that only out of order, which is why every service sets
 * {@code quarkus.flyway.out-of-order=true}.
 */
class OutboxMigrationsTest {

    private static final String DATABASE = "outbox_migrations";
    /** The library's migrations as a service first applied them, before {@code relay_heartbeat} was dropped. */
    private static final List<String> FIRST_RELEASE = List.of("V0_1__outbox.sql", "V0_2__inbox.sql",
            "V0_3__relay_heartbeat.sql");

    private final PostgresServer server = PostgresServer.shared();

    @Test
    void aLaterLibraryMigrationRunsOutOfOrderOnADatabaseThatAlreadyRanTheServicesMigrations(@TempDir Path firstRelease)
            throws Exception {
        for (String migration : FIRST_RELEASE) {
            try (InputStream in = getClass().getResourceAsStream("/db/shopflow-outbox/" + migration)) {
                Files.copy(in, firstRelease.resolve(migration));
            }
        }
        server.dropDatabase(DATABASE);
        server.createDatabase(DATABASE);
        flyway(false, "filesystem:" + firstRelease, "classpath:db/outbox-test").migrate();
        assertThat(tableExists("relay_heartbeat")).isTrue();

        assertThatThrownBy(() -> flyway(false, "classpath:db/shopflow-outbox", "classpath:db/outbox-test").migrate())
                .as("in order, Flyway refuses a pending migration below the database's version")
                .hasMessageContaining("0.4");
        flyway(true, "classpath:db/shopflow-outbox", "classpath:db/outbox-test").migrate();

        assertThat(tableExists("relay_heartbeat")).isFalse();
        assertThat(tableExists("outbox")).isTrue();
        assertThat(tableExists("counter")).isTrue();
    }

    @Test
    void aNewDatabaseGetsTheLibrarysTablesWithoutTheRelayHeartbeat() throws Exception {
        server.dropDatabase(DATABASE);
        server.createDatabase(DATABASE);

        flyway(true, "classpath:db/shopflow-outbox", "classpath:db/outbox-test").migrate();

        assertThat(tableExists("outbox")).isTrue();
        assertThat(tableExists("inbox")).isTrue();
        assertThat(tableExists("relay_heartbeat")).isFalse();
    }

    private Flyway flyway(boolean outOfOrder, String... locations) {
        return Flyway.configure()
                .dataSource(server.jdbcUrl(DATABASE), PostgresServer.owner(DATABASE), PostgresServer.PASSWORD)
                .locations(locations)
                .outOfOrder(outOfOrder)
                .load();
    }

    private boolean tableExists(String table) throws SQLException {
        try (Connection c = server.connect(DATABASE);
             ResultSet rs = c.getMetaData().getTables(null, "public", table, new String[] {"TABLE"})) {
            return rs.next();
        }
    }
}
