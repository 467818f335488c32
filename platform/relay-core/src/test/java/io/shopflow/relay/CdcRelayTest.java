package io.shopflow.relay;

import io.shopflow.relay.RelaySettings.Mode;
import io.shopflow.relay.TopicReader.Received;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The acceptance suite in CDC mode (pgoutput from the replication slot), and what only CDC has:
 * the slot is the relay's offset, so a graceful stop must leave it at what was published, a slot
 * lost while running must not lose rows, and a quiet outbox must not hold WAL back.
 */
class CdcRelayTest extends RelayAcceptanceSuite {

    @Override
    Mode mode() {
        return Mode.CDC;
    }

    @Test
    void restartsWithoutDuplicatesAfterAGracefulStop() {
        try (TopicReader reader = new TopicReader(topic)) {
            relay = startRelay(settings());
            database.insert(topic, 1_000);
            Set<String> first = ids(reader.readUntil(1_000, Duration.ofSeconds(60)));
            relay.close();

            relay = startRelay(settings());
            database.insert(topic, 10);
            List<Received> second = reader.readUntil(10, Duration.ofSeconds(60));

            assertThat(second).hasSize(10).noneMatch(r -> first.contains(r.messageId()));
        }
    }

    @Test
    void publishesEveryRowWhenItsSlotIsDroppedWhileRunning() throws Exception {
        try (TopicReader reader = new TopicReader(topic)) {
            relay = startRelay(settings());
            database.insert(topic, 500);
            await().atMost(Duration.ofSeconds(30)).until(() -> database.unpublished() == 0);

            try (Connection c = database.connect()) {
                // The relay reconnects at once: drop the slot between its attempts.
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> dropSlot(c, database.source().slotName()));
            }
            // Committed while the slot is gone: no new slot starts before these rows.
            database.insert(topic, 500);

            assertDeliveredInOrder(reader.readUntil(1_000, Duration.ofSeconds(60)), 1_000);
        }
    }

    @Test
    void movesItsSlotAlongWhileTheOutboxIsQuiet() throws Exception {
        relay = startRelay(settings());
        database.insert(topic, 10);
        await().atMost(Duration.ofSeconds(30)).until(() -> database.unpublished() == 0);
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE quiet_writes (n int)");
            for (int i = 0; i < 100; i++) {
                s.execute("INSERT INTO quiet_writes VALUES (" + i + ")");
            }
            long written = lsn(c, "SELECT pg_current_wal_lsn()");
            String slot = database.source().slotName();

            // The server's keepalives carry its position; the relay confirms it while nothing is pending.
            await().atMost(Duration.ofSeconds(90)).until(() -> lsn(c,
                    "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '" + slot + "'") >= written);
        }
    }

    @Test
    void waitsForItsServiceToCreateThePublicationBeforeCreatingItsSlot() throws Exception {
        // Started before the service's migrations (local-stack.sh up starts them together): a slot created now
        // would precede the publication and fail on every change it streams.
        database = OutboxDatabaseFixture.unmigrated(database.source().name(), AGGREGATES, 64);
        try (TopicReader reader = new TopicReader(topic)) {
            relay = Relay.start(settings(), registry);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> !relay.isStreaming());
            // Any change a slot would decode before the publication exists: here a write of some other table.
            execute("CREATE SCHEMA early; CREATE TABLE early.writes (n int)");
            execute("INSERT INTO early.writes VALUES (1)");

            database.migrate();
            database.insert(topic, 10);

            await().atMost(Duration.ofSeconds(60)).until(relay::isStreaming);
            assertDeliveredInOrder(reader.readUntil(10, Duration.ofSeconds(60)), 10);
        }
    }

    @Test
    void backsOffWhileThePublicationIsGoneAndRecoversWhenItIsBack() throws Exception {
        String name = database.source().name();
        try (TopicReader reader = new TopicReader(topic)) {
            relay = startRelay(settings().withRetries(Duration.ofMillis(200), Duration.ofSeconds(5),
                    Duration.ofSeconds(2)));
            database.insert(topic, 10);
            await().atMost(Duration.ofSeconds(30)).until(() -> database.unpublished() == 0);

            execute("DROP PUBLICATION shopflow_outbox");
            database.insert(topic, 10);
            Thread.sleep(6_000);
            // 200 ms doubling to 5 s: about five attempts in 6 s. A stream the server accepts and then fails on its
            // first change used to start the backoff over each time: some sixty attempts.
            assertThat(registry.get("shopflow.relay.source.failures").tag("source", name).functionCounter().count())
                    .isBetween(1.0, 8.0);

            // Back, but after the slot's position: the slot cannot read past it and is replaced, the outbox scanned.
            execute("CREATE PUBLICATION shopflow_outbox FOR TABLE outbox WITH (publish = 'insert')");
            assertThat(ids(reader.readUntil(20, Duration.ofSeconds(60)))).hasSize(20);
            await().atMost(Duration.ofSeconds(30)).until(relay::isStreaming);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Ends the slot's walsender and drops the slot; false when the relay reconnected first. */
    private static boolean dropSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement terminate = c.prepareStatement(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = ? AND active");
             PreparedStatement drop = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            terminate.setString(1, slot);
            terminate.execute();
            drop.setString(1, slot);
            drop.execute();
            return true;
        } catch (SQLException active) {
            return false;
        }
    }

    private static long lsn(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return LogSequenceNumber.valueOf(rs.getString(1)).asLong();
        }
    }

    private static Set<String> ids(List<Received> received) {
        return received.stream().map(Received::messageId).collect(Collectors.toSet());
    }
}
