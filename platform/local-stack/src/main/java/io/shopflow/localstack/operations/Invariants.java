package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.OrderRecords;
import io.shopflow.localstack.launcher.Service;
import io.shopflow.localstack.launcher.StackLayout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The architecture's invariants, read from every service's own database, for a set of orders,
 * the SKUs they used (with the stock each was given) and their customers (whose credit they
 * alone used): every order final; an approved order holds exactly its reservation and an
 * authorization of its total, a rejected one neither; stock conserved and never negative, with
 * exactly the approved quantities reserved; each customer's held credit equals its approved
 * orders; exactly one notification per order, with its outcome. Returns the violations found.
 */
final class Invariants {

    /** What was checked and what broke. */
    record Report(Map<String, String> outcomes, List<String> violations) {

        long count(String status) {
            return outcomes.values().stream().filter(status::equals).count();
        }

        boolean holds() {
            return violations.isEmpty();
        }
    }

    private final StackLayout layout;
    private final OrderRecords records;

    Invariants(StackLayout layout) {
        this.layout = layout;
        this.records = new OrderRecords(layout);
    }

    /** Waits, polling every second, until {@code orders} are final or {@code timeout} passed; returns how many are not. */
    int awaitFinal(Collection<String> orders, Duration timeout) throws SQLException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        int unfinished = orders.size();
        while (Instant.now().isBefore(deadline)) {
            unfinished = (int) records.statuses(orders).values().stream().filter(s -> !OrderRecords.isFinal(s)).count();
            if (unfinished == 0) {
                break;
            }
            Thread.sleep(1000);
        }
        return unfinished;
    }

    Report check(Collection<String> orders, Map<String, Integer> stockBySku) throws SQLException {
        Map<String, String> outcomes = records.statuses(orders);
        List<String> violations = new ArrayList<>();
        outcomes.forEach((id, status) -> {
            if (!OrderRecords.isFinal(status)) {
                violations.add("order " + id + " is " + (status == null ? "lost (not in order-service)" : status));
            }
        });

        Map<String, Long> totals = new HashMap<>();
        Map<String, String> customers = new HashMap<>();
        Map<String, Integer> approvedBySku = new HashMap<>();
        try (Connection c = records.connect();
             PreparedStatement ps = c.prepareStatement("SELECT id::text, customer_id, total_cents, status, "
                     + "l->>'sku', (l->>'quantity')::int FROM orders, jsonb_array_elements(lines->'lines') l "
                     + "WHERE id::text = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", orders.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    customers.put(rs.getString(1), rs.getString(2));
                    totals.put(rs.getString(1), rs.getLong(3));
                    if ("APPROVED".equals(rs.getString(4))) {
                        approvedBySku.merge(rs.getString(5), rs.getInt(6), Integer::sum);
                    }
                }
            }
        }

        Map<String, String> reservations = column(Service.INVENTORY,
                "SELECT order_id::text, status FROM reservation WHERE order_id::text = ANY(?)", orders);
        Map<String, String> payments = column(Service.PAYMENT,
                "SELECT order_id::text, status FROM payment WHERE order_id::text = ANY(?)", orders);
        Map<String, String> amounts = column(Service.PAYMENT,
                "SELECT order_id::text, amount_cents::text FROM payment WHERE order_id::text = ANY(?)", orders);
        outcomes.forEach((id, status) -> {
            if ("APPROVED".equals(status)) {
                expect(violations, "RESERVED".equals(reservations.get(id)),
                        "approved order " + id + " has reservation " + reservations.get(id));
                expect(violations, "AUTHORIZED".equals(payments.get(id)),
                        "approved order " + id + " has payment " + payments.get(id));
                expect(violations, amounts.get(id) != null && Long.parseLong(amounts.get(id)) == totals.get(id),
                        "approved order " + id + " charged " + amounts.get(id) + ", total " + totals.get(id));
            } else if ("REJECTED".equals(status)) {
                expect(violations, Set.of("RELEASED", "REFUSED").contains(reservations.getOrDefault(id, "RELEASED")),
                        "rejected order " + id + " still has reservation " + reservations.get(id));
                expect(violations, !"AUTHORIZED".equals(payments.get(id)),
                        "rejected order " + id + " is still charged");
            }
        });

        try (Connection c = layout.connect(Service.INVENTORY.database());
             PreparedStatement ps = c.prepareStatement("SELECT sku, available, reserved FROM stock WHERE sku = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", stockBySku.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sku = rs.getString(1);
                    int available = rs.getInt(2);
                    int reserved = rs.getInt(3);
                    expect(violations, available >= 0, "stock of " + sku + " is negative: " + available);
                    expect(violations, available + reserved == stockBySku.get(sku), "stock of " + sku
                            + " not conserved: " + available + " + " + reserved + " != " + stockBySku.get(sku));
                    expect(violations, reserved == approvedBySku.getOrDefault(sku, 0), "reserved " + sku + " = "
                            + reserved + ", approved quantities " + approvedBySku.getOrDefault(sku, 0));
                }
            }
        }

        Map<String, Long> heldByCustomer = new HashMap<>();
        customers.values().forEach(customer -> heldByCustomer.put(customer, 0L));
        outcomes.forEach((id, status) -> {
            if ("APPROVED".equals(status)) {
                heldByCustomer.merge(customers.get(id), totals.get(id), Long::sum);
            }
        });
        Map<String, String> held = column(Service.PAYMENT, "SELECT customer_id, "
                + "(credit_limit_cents - available_cents)::text FROM credit_account WHERE customer_id = ANY(?)",
                heldByCustomer.keySet());
        heldByCustomer.forEach((customer, expected) -> expect(violations,
                Long.parseLong(held.getOrDefault(customer, "0")) == expected,
                "customer " + customer + " has " + held.get(customer) + " cents held, approved orders total " + expected));

        Map<String, List<String>> notified = new HashMap<>();
        try (Connection c = layout.connect(Service.NOTIFICATION.database());
             PreparedStatement ps = c.prepareStatement(
                     "SELECT order_id::text, outcome FROM notification WHERE order_id::text = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", orders.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    notified.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        outcomes.forEach((id, status) -> {
            if (OrderRecords.isFinal(status)) {
                expect(violations, List.of(status).equals(notified.get(id)),
                        "order " + id + " (" + status + ") has notifications " + notified.get(id));
            }
        });
        return new Report(outcomes, violations);
    }

    private static void expect(List<String> violations, boolean holds, String violation) {
        if (!holds) {
            violations.add(violation);
        }
    }

    private Map<String, String> column(Service service, String sql, Collection<String> keys) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Connection c = layout.connect(service.database()); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return values;
    }
}
