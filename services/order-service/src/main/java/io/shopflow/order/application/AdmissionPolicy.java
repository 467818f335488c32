package io.shopflow.order.application;

import java.time.Duration;
import java.util.Locale;

/**
 * Whether {@code POST /orders} takes new work, as a pure function of the work in flight (ADR 9).
 * The age bound is the main one: it holds whatever the throughput, and an accepted order waits
 * behind about as long as the oldest one did. The count bound reacts to a burst at once.
 */
record AdmissionPolicy(boolean enabled, long maxPending, Duration maxOldestPendingAge, Duration maxRetryAfter) {

    /** Why a request was refused; {@link #NONE} when it was not. */
    enum Reason {
        NONE, PENDING, OLDEST_AGE;

        /** The metric's {@code reason} label. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Accepted, or refused with a reason and the seconds a client should wait before it retries. */
    record Decision(Reason reason, long retryAfterSeconds) {

        static final Decision ACCEPTED = new Decision(Reason.NONE, 0);

        boolean accepted() {
            return reason == Reason.NONE;
        }
    }

    Decision decide(long pending, Duration oldestPendingAge) {
        if (!enabled) {
            return Decision.ACCEPTED;
        }
        if (oldestPendingAge.compareTo(maxOldestPendingAge) > 0) {
            return new Decision(Reason.OLDEST_AGE, retryAfterSeconds(oldestPendingAge));
        }
        if (pending > maxPending) {
            return new Decision(Reason.PENDING, retryAfterSeconds(oldestPendingAge));
        }
        return Decision.ACCEPTED;
    }

    /**
     * How far the oldest order is past its bound, in whole seconds, at least 1 and at most
     * {@code maxRetryAfter}: a system slightly behind is retried soon, a stalled one (its oldest
     * order keeps ageing) less and less often.
     */
    private long retryAfterSeconds(Duration oldestPendingAge) {
        long behindMillis = oldestPendingAge.minus(maxOldestPendingAge).toMillis();
        long behindSeconds = behindMillis <= 0 ? 0 : (behindMillis + 999) / 1000;
        return Math.max(1, Math.min(behindSeconds, maxRetryAfter.toSeconds()));
    }
}
