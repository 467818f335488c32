package io.shopflow.order.application;

/**
 * Admission control refuses new orders for now; nothing was written. Answered with 503 and
 * {@code Retry-After}.
 */
public class OverloadedException extends RuntimeException {

    private final long retryAfterSeconds;

    OverloadedException(long retryAfterSeconds) {
        // No stack trace: this is an answer, thrown for every refused request exactly when CPU is short.
        super("Too many orders are in flight to finish this one in time; nothing was stored. Retry after "
                + retryAfterSeconds + " s with the same Idempotency-Key.", null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Whole seconds a client should wait before it retries. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
