package io.shopflow.order.application;

/** The Idempotency-Key was already used for a different request. Answered with 409. */
public class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String key) {
        super("Idempotency-Key '" + key + "' was already used for a different request");
    }
}
