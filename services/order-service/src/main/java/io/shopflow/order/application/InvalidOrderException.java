package io.shopflow.order.application;

import io.shopflow.order.domain.OrderRules;

import java.util.List;

/** The request breaks the order rules; nothing was written. Answered with 400. */
public class InvalidOrderException extends RuntimeException {

    private final transient List<OrderRules.Violation> violations;

    public InvalidOrderException(List<OrderRules.Violation> violations) {
        super("The order is not valid: " + violations.size() + " violation(s)");
        this.violations = List.copyOf(violations);
    }

    public List<OrderRules.Violation> violations() {
        return violations;
    }
}
