package io.shopflow.outbox;

import io.shopflow.testing.PostgresServer;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The roles of a service database (k8s/base/databases/service-database-roles.sql, the SQL compose
 * and Kubernetes run too) and the relay's grant (V0_6), after the migrations ran as the owner: the
 * service's runtime role changes rows of every table, also of one a later migration adds
 * ({@code counter}, from {@code db/outbox-test}), and nothing else, not Flyway's history either; the relay reads, deletes and
 * marks published rows of {@code outbox} only.
 */
class ServiceDatabaseRolesTest {

    private static final String DATABASE = "roles_check";
    private static final String OTHER_DATABASE = "roles_check_other";
    private static final String APP = PostgresServer.appRole(DATABASE);
    private static final String RELAY = PostgresServer.RELAY_ROLE;
    private static final String INSERT_OUTBOX = "INSERT INTO outbox (id, aggregate_type, aggregate_id, topic, "
            + "message_type, payload, correlation_id) VALUES ('%s', 'Test', 'a-1', 'topic', 'Test', '\\x00', 'c-1')";

    private static final PostgresServer server = PostgresServer.shared();

    @BeforeAll
    static void migrateAsTheOwner() {
        for (String database : new String[] {DATABASE, OTHER_DATABASE}) {
            server.dropDatabase(database);
            server.createDatabase(database);
            Flyway.configure()
                    .dataSource(server.jdbcUrl(database), PostgresServer.owner(database), PostgresServer.PASSWORD)
                    .locations("classpath:db/shopflow-outbox", "classpath:db/outbox-test")
                    .load()
                    .migrate();
        }
    }

    @Test
    void theServiceChangesTheRowsOfEveryTableItsMigrationsCreated() {
        assertThatCode(() -> {
            try (Connection c = server.connect(DATABASE, APP); Statement s = c.createStatement()) {
                UUID id = UUID.randomUUID();
                s.execute(INSERT_OUTBOX.formatted(id));
                s.execute("UPDATE outbox SET published_at = now() WHERE id = '" + id + "'");
                s.execute("DELETE FROM outbox WHERE id = '" + id + "'");
                s.execute("INSERT INTO inbox (message_id, consumer, message_type) VALUES ('" + id + "', 'c', 'Test')");
                s.execute("DELETE FROM inbox WHERE processed_at < now() + interval '1 day'");
                s.execute("INSERT INTO counter (name, value) VALUES ('n', 1)");
                s.execute("UPDATE counter SET value = value + 1 WHERE name = 'n'");
                s.executeQuery("SELECT value FROM counter").close();
            }
        }).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CREATE TABLE intruder (id INT)", "DROP TABLE outbox", "ALTER TABLE counter ADD COLUMN x INT",
            "TRUNCATE inbox", "CREATE INDEX counter_value ON counter (value)", "CREATE TEMP TABLE scratch (id INT)",
            "UPDATE flyway_schema_history SET success = true", "DELETE FROM flyway_schema_history"})
    void theServiceChangesNoSchema(String statement) {
        assertThatThrownBy(() -> execute(DATABASE, APP, statement)).isInstanceOf(SQLException.class)
                .hasMessageMatching("(?s).*(permission denied|must be owner).*");
    }

    @Test
    void theServiceCannotOpenAnotherServicesDatabase() {
        assertThatThrownBy(() -> server.connect(OTHER_DATABASE, APP).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("does not have CONNECT privilege");
    }

    @Test
    void theRelayReadsDeletesAndMarksTheOutboxRows() throws SQLException {
        UUID marked = UUID.randomUUID();
        UUID deleted = UUID.randomUUID();
        execute(DATABASE, APP, INSERT_OUTBOX.formatted(marked));
        execute(DATABASE, APP, INSERT_OUTBOX.formatted(deleted));
        try (Connection c = server.connect(DATABASE, RELAY); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeQuery("SELECT id, payload FROM outbox WHERE published_at IS NULL ORDER BY position "
                    + "FOR UPDATE SKIP LOCKED").close();
            assertThat(s.executeUpdate("UPDATE outbox SET published_at = clock_timestamp() WHERE id = '" + marked + "'"))
                    .isOne();
            assertThat(s.executeUpdate("DELETE FROM outbox WHERE id = '" + deleted + "'")).isOne();
            c.commit();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"SELECT * FROM inbox", "SELECT * FROM counter", "UPDATE counter SET value = 0",
            "DELETE FROM inbox", "INSERT INTO counter (name, value) VALUES ('r', 1)", "SELECT * FROM flyway_schema_history",
            "UPDATE outbox SET payload = '\\x01'", "INSERT INTO outbox (id, aggregate_type, aggregate_id, topic, "
            + "message_type, payload, correlation_id) VALUES (gen_random_uuid(), 'T', 'a', 't', 'T', '\\x00', 'c')",
            "CREATE TABLE intruder (id INT)"})
    void theRelayTouchesNothingButTheOutbox(String statement) {
        assertThatThrownBy(() -> execute(DATABASE, RELAY, statement)).isInstanceOf(SQLException.class)
                .hasMessageContaining("permission denied");
    }

    private static void execute(String database, String role, String statement) throws SQLException {
        try (Connection c = server.connect(database, role); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
