package io.shopflow.contracts;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with "equal jitter", the one retry schedule of Shopflow's Kafka clients (the
 * relay's publish retries and reconnects, a consumer's in-place retries and failure-topic writes):
 * attempt {@code n} waits a random time between half and all of {@code min(cap, base * 2^(n-1))}.
 * The jitter keeps clients that failed together from retrying in lockstep, while the lower half
 * keeps successive delays growing until the cap.
 *
 * <p>It lives in {@code contracts} because that is the one module both the relay and
 * {@code platform/messaging} build on; the relay must not take the messaging or outbox modules,
 * which bring a Quarkus datasource it has no use for.
 */
public final class Backoff {

    private final long baseNanos;
    private final long capNanos;
    /** Given {@code bound > 0}, a value in {@code [0, bound)}. */
    private final LongUnaryOperator random;

    /**
     * @param base the longest first wait (attempt 1 waits between half of it and all of it)
     * @param cap  the longest wait of any attempt
     * @throws IllegalArgumentException unless {@code 0 <= base <= cap}
     */
    public Backoff(Duration base, Duration cap) {
        this(base, cap, bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    /** With a chosen source of randomness, so that tests can pin the jitter to its ends. */
    Backoff(Duration base, Duration cap, LongUnaryOperator random) {
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 <= base <= cap, got base " + base + " and cap " + cap);
        }
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.random = random;
    }

    /** The wait before retry number {@code attempt} (1 for the first retry; lower counts as 1). */
    public Duration delay(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 62);
        // Compared before shifting: past the cap, base << doublings could overflow.
        long ceiling = baseNanos > (capNanos >> doublings) ? capNanos : Math.min(capNanos, baseNanos << doublings);
        long half = ceiling / 2;
        return Duration.ofNanos(half + random.applyAsLong(ceiling - half + 1));
    }
}
