package io.shopflow.saga.domain;

import java.time.Duration;

/**
 * How long a step waits for its reply, and how often its command is resent. The n-th resend
 * waits {@code min(cap, stepTimeout * 2^n)}; after {@code maxAttempts} sends a forward step
 * compensates, a compensation or the pivot becomes STUCK for an operator.
 */
public record DeadlinePolicy(Duration stepTimeout, Duration cap, int maxAttempts) {

    public DeadlinePolicy {
        if (stepTimeout.isNegative() || stepTimeout.isZero() || cap.compareTo(stepTimeout) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("need 0 < stepTimeout <= cap and maxAttempts >= 1");
        }
    }

    /** Wait after the {@code attempt}-th send (1-based). */
    public Duration waitAfter(int attempt) {
        int doublings = Math.min(attempt - 1, 20);
        Duration wait = stepTimeout.multipliedBy(1L << doublings);
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}
