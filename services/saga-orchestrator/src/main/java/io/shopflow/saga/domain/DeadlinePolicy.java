package io.shopflow.saga.domain;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * How long a step waits for its reply, how often its command is resent, and how long a step may
 * wait while its command or reply is still queued (ADR 8).
 *
 * <p>The first send of a step waits {@code stepTimeout}. The n-th resend waits
 * {@code min(cap, stepTimeout * 2^n)}, shortened by up to {@code jitter} of itself at random, so
 * that sagas resent in the same scan do not expire again in the same scan; {@code jitter} 0.5 is
 * "equal jitter", 1 "full jitter". After {@code maxAttempts} sends a forward step compensates, a
 * compensation or the pivot becomes STUCK for an operator.
 *
 * <p>While the command or its reply may still wait in a healthy queue the deadline is extended
 * instead, without a resend, by waits doubling from the current one, until the step has waited
 * {@code maxQueuedWait} since it was entered; after that the rules above apply again, so that no
 * saga stays open forever. {@code maxQueuedWait} zero never extends.
 *
 * @param random uniform in [0, 1); passed in so that tests decide it
 */
public record DeadlinePolicy(Duration stepTimeout, Duration cap, int maxAttempts, Duration maxQueuedWait,
                             double jitter, DoubleSupplier random) {

    public DeadlinePolicy {
        if (stepTimeout.isNegative() || stepTimeout.isZero() || cap.compareTo(stepTimeout) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("need 0 < stepTimeout <= cap and maxAttempts >= 1");
        }
        if (maxQueuedWait.isNegative() || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("need maxQueuedWait >= 0 and 0 <= jitter <= 1");
        }
        Objects.requireNonNull(random, "random");
    }

    /** Wait after the {@code attempt}-th send (1-based); only resends are jittered. */
    public Duration waitAfter(int attempt) {
        Duration wait = doubled(stepTimeout, attempt - 1);
        if (attempt == 1) {
            return wait;
        }
        long nanos = wait.toNanos();
        return Duration.ofNanos(nanos - (long) (nanos * jitter * random.getAsDouble()));
    }

    /**
     * Wait added by the {@code extension}-th extension (1-based) of a step at {@code attempt}: the
     * step's current wait, doubling with every extension, up to the cap. Not jittered: an
     * extension sends nothing.
     */
    public Duration queuedWait(int attempt, int extension) {
        return doubled(doubled(stepTimeout, attempt - 1), extension - 1);
    }

    private Duration doubled(Duration from, int doublings) {
        Duration wait = from.multipliedBy(1L << Math.min(doublings, 20));
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}
