package io.shopflow.order.domain;

/** An order is PENDING until its saga ends, then APPROVED or REJECTED, for good. */
public enum OrderStatus {
    PENDING,
    APPROVED,
    REJECTED
}
