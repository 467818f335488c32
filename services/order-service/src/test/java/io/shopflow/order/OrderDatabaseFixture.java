package io.shopflow.order;

import io.shopflow.testing.PostgresServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/** The test database "orders", read and cleaned over plain JDBC, beside the application. */
final class OrderDatabaseFixture {

    static final String DATABASE = "orders";

    private OrderDatabaseFixture() {
    }

    static void clean() throws SQLException {
        sql("DELETE FROM outbox; DELETE FROM idempotency_keys; DELETE FROM orders");
    }

    static int count(String table) throws SQLException {
        try (Connection c = PostgresServer.shared().connect(DATABASE); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * {@code count} PENDING orders placed {@code age} ago, written straight into the table: work in
     * flight that admission control counts, without placing orders through the API.
     */
    static void insertPending(int count, Duration age) throws SQLException {
        sql("INSERT INTO orders (id, customer_id, status, lines, placed_at, updated_at, version) "
                + "SELECT gen_random_uuid(), 'in-flight', 'PENDING', '{\"lines\": []}', "
                + "clock_timestamp() - INTERVAL '" + age.toMillis() + " milliseconds', clock_timestamp(), 0 "
                + "FROM generate_series(1, " + count + ")");
    }

    static void sql(String statements) throws SQLException {
        try (Connection c = PostgresServer.shared().connect(DATABASE); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }
}
