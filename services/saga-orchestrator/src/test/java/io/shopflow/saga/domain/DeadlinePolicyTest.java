package io.shopflow.saga.domain;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlinePolicyTest {

    private static final Duration TEN = Duration.ofSeconds(10);
    private static final Duration CAP = Duration.ofSeconds(60);

    @Test
    void givesEveryStepItsFullTimeoutFirstAndJittersOnlyResends() {
        DeadlinePolicy policy = new DeadlinePolicy(TEN, CAP, 5, Duration.ofMinutes(2), 0.5, new Random(42)::nextDouble);

        assertThat(policy.waitAfter(1)).isEqualTo(TEN);
        for (int draw = 0; draw < 1000; draw++) {
            assertThat(policy.waitAfter(2)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
            assertThat(policy.waitAfter(3)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
            assertThat(policy.waitAfter(5)).isBetween(Duration.ofSeconds(30), CAP);
        }
    }

    @Test
    void spreadsResendsOverTheWholeJitterRange() {
        DeadlinePolicy policy = new DeadlinePolicy(TEN, CAP, 3, Duration.ZERO, 0.5, new Random(7)::nextDouble);
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (int draw = 0; draw < 1000; draw++) {
            long wait = policy.waitAfter(2).toMillis();
            shortest = Math.min(shortest, wait);
            longest = Math.max(longest, wait);
        }

        assertThat(shortest).isLessThan(11_000);
        assertThat(longest).isGreaterThan(19_000);
    }

    @Test
    void extendsByTheCurrentWaitDoublingUpToTheCap() {
        DeadlinePolicy policy = new DeadlinePolicy(TEN, CAP, 3, Duration.ofMinutes(2), 0.5, () -> 0.9);

        assertThat(policy.queuedWait(1, 1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.queuedWait(1, 2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.queuedWait(1, 4)).isEqualTo(CAP);
        assertThat(policy.queuedWait(2, 1)).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.queuedWait(3, 30)).isEqualTo(CAP);
    }

    @Test
    void refusesAJitterOutsideZeroToOneAndANegativeQueuedWait() {
        assertThatThrownBy(() -> new DeadlinePolicy(TEN, CAP, 3, Duration.ZERO, 1.5, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeadlinePolicy(TEN, CAP, 3, Duration.ofSeconds(-1), 0.5, () -> 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
