package io.shopflow.order.domain;

/** Why an order was rejected; the public API shows it as {@code rejectionReason}. */
public enum RejectionReason {
    OUT_OF_STOCK,
    PAYMENT_DECLINED,
    PAYMENT_UNAVAILABLE,
    TIMEOUT,
    ABORTED
}
