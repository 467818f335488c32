package io.shopflow.order.adapter.rest;

import io.shopflow.order.domain.OrderRules;

import java.util.List;

/** Query parameters out of range or not numbers; answered with 400 and one violation per parameter. */
class InvalidQueryException extends RuntimeException {

    private final transient List<OrderRules.Violation> violations;

    InvalidQueryException(List<OrderRules.Violation> violations) {
        super("The query is not valid: " + violations.size() + " violation(s)");
        this.violations = List.copyOf(violations);
    }

    List<OrderRules.Violation> violations() {
        return violations;
    }
}
