package io.shopflow.order;

import io.shopflow.testing.PostgresServer;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

    static void sql(String statements) throws SQLException {
        try (Connection c = PostgresServer.shared().connect(DATABASE); Statement s = c.createStatement()) {
            s.execute(statements);
        }
    }
}
