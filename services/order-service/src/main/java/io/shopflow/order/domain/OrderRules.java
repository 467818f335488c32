package io.shopflow.order.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What makes an order acceptable: a customer, between one and {@code maxLines} lines, each with
 * a SKU and a positive quantity. Violations are returned as values, one per broken rule, with
 * the JSON path of the field at fault.
 */
public final class OrderRules {

    public static final int MAX_CUSTOMER_ID_LENGTH = 128;
    public static final int MAX_SKU_LENGTH = 64;
    /** A SKU: letters, digits, '.', '_' and '-' (inventory-service's StockItem.SKU takes the same). */
    private static final Pattern SKU = Pattern.compile("[A-Za-z0-9._-]+");
    public static final int MAX_QUANTITY = 10_000;
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private OrderRules() {
    }

    /** A broken rule: where ({@code field}, a JSON path) and what. */
    public record Violation(String field, String message) {
    }

    /**
     * What is wrong with a customer id, if anything: it is required, at most {@link #MAX_CUSTOMER_ID_LENGTH}
     * characters, and holds no control character (PostgreSQL refuses a NUL: it was a 500).
     */
    public static Optional<String> customerIdProblem(String customerId) {
        if (customerId == null || customerId.isBlank()) {
            return Optional.of("is required");
        }
        if (customerId.length() > MAX_CUSTOMER_ID_LENGTH) {
            return Optional.of("is longer than " + MAX_CUSTOMER_ID_LENGTH + " characters");
        }
        if (CONTROL.matcher(customerId).find()) {
            return Optional.of("must not hold control characters");
        }
        return Optional.empty();
    }

    public static List<Violation> check(String customerId, List<OrderLine> lines, int maxLines) {
        List<Violation> violations = new ArrayList<>();
        customerIdProblem(customerId).ifPresent(problem -> violations.add(new Violation("customerId", problem)));
        if (lines == null || lines.isEmpty()) {
            violations.add(new Violation("items", "needs at least one line"));
            return violations;
        }
        if (lines.size() > maxLines) {
            violations.add(new Violation("items", "has " + lines.size() + " lines; at most " + maxLines));
        }
        for (int i = 0; i < lines.size(); i++) {
            OrderLine line = lines.get(i);
            String at = "items[" + i + "]";
            if (line == null) {
                violations.add(new Violation(at, "is required"));
                continue;
            }
            if (line.sku() == null || line.sku().isBlank()) {
                violations.add(new Violation(at + ".sku", "is required"));
            } else if (line.sku().length() > MAX_SKU_LENGTH) {
                violations.add(new Violation(at + ".sku", "is longer than " + MAX_SKU_LENGTH + " characters"));
            } else if (!SKU.matcher(line.sku()).matches()) {
                violations.add(new Violation(at + ".sku", "may hold only letters, digits, '.', '_' and '-'"));
            }
            if (line.quantity() <= 0) {
                violations.add(new Violation(at + ".quantity", "must be greater than 0"));
            } else if (line.quantity() > MAX_QUANTITY) {
                violations.add(new Violation(at + ".quantity", "must be at most " + MAX_QUANTITY));
            }
        }
        return violations;
    }
}
