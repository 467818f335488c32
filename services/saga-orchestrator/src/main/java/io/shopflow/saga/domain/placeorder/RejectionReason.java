package io.shopflow.saga.domain.placeorder;

/** Why an order is rejected; mirrors the public order API's {@code rejectionReason}. */
public enum RejectionReason {
    OUT_OF_STOCK,
    PAYMENT_DECLINED,
    PAYMENT_UNAVAILABLE,
    TIMEOUT,
    ABORTED
}
