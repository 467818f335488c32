package io.shopflow.localstack.launcher;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders as order-service recorded them in its own database, read as PostgreSQL's superuser: when each was placed,
 * when it became final, its status and rejection reason. No client is in these times. The launcher follows its own
 * orders with it (the AOT training's, footprint's first), the operations tools every order of a load.
 */
public final class OrderRecords {

    /** One order as order-service recorded it; {@code finished} is null while it is not final. */
    public record Order(Instant placed, Instant finished, String rejectionReason) {

        /** Placed -> final in seconds; infinite while it is not final. */
        public double placedToFinalSeconds() {
            return finished == null ? Double.POSITIVE_INFINITY : Duration.between(placed, finished).toMillis() / 1000.0;
        }
    }

    private final StackLayout layout;

    public OrderRecords(StackLayout layout) {
        this.layout = layout;
    }

    /** APPROVED or REJECTED: the saga is over. */
    public static boolean isFinal(String status) {
        return "APPROVED".equals(status) || "REJECTED".equals(status);
    }

    /** Every order the customers placed (ids). */
    public List<String> idsOf(Collection<String> customers) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id::text FROM orders WHERE customer_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", customers.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    /** Every order the customers placed. */
    public List<Order> ofCustomers(Collection<String> customers) throws SQLException {
        return new ArrayList<>(orders("customer_id = ANY(?)", customers).values());
    }

    /** These orders by id; an id order-service does not have is left out. */
    public Map<String, Order> byId(Collection<String> ids) throws SQLException {
        // By primary key: a soak asks every minute for the few not yet final among some 100,000.
        return orders("id = ANY(CAST(? AS uuid[]))", ids);
    }

    /** The current status of each order (null when order-service has no such order). */
    public Map<String, String> statuses(Collection<String> ids) throws SQLException {
        Map<String, String> all = new HashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT id::text, status FROM orders WHERE id::text = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    all.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        Map<String, String> ours = new HashMap<>();
        ids.forEach(id -> ours.put(id, all.get(id)));
        return ours;
    }

    /** A connection to order-service's database. */
    public Connection connect() throws SQLException {
        return layout.connect(Service.ORDER.database());
    }

    private Map<String, Order> orders(String condition, Collection<String> keys) throws SQLException {
        Map<String, Order> orders = new LinkedHashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT id::text, placed_at, "
                + "CASE WHEN status IN ('APPROVED', 'REJECTED') THEN updated_at END, rejection_reason FROM orders "
                + "WHERE " + condition)) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp finished = rs.getTimestamp(3);
                    orders.put(rs.getString(1), new Order(rs.getTimestamp(2).toInstant(),
                            finished == null ? null : finished.toInstant(), rs.getString(4)));
                }
            }
        }
        return orders;
    }
}
