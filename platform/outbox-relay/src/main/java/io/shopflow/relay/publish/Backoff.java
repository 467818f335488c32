package io.shopflow.relay.publish;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": attempt {@code n} waits a random time between half and
 * all of {@code min(cap, base * 2^(n-1))}. The jitter keeps relays that failed together from
 * retrying in lockstep, while the lower half keeps successive delays growing until the cap.
 */
public final class Backoff {

    private final long baseNanos;
    private final long capNanos;

    public Backoff(Duration base, Duration cap) {
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
    }

    /** The delay before retry number {@code attempt} (1 for the first retry). */
    public Duration delay(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 62);
        long ceiling = baseNanos > (capNanos >> doublings) ? capNanos : Math.min(capNanos, baseNanos << doublings);
        long half = ceiling / 2;
        return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }
}
