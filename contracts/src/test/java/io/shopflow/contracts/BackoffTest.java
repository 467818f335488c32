package io.shopflow.contracts;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    /** The jitter's two ends: the shortest and the longest wait an attempt can draw. */
    private static final LongUnaryOperator SHORTEST = bound -> 0;
    private static final LongUnaryOperator LONGEST = bound -> bound - 1;

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(2);

    @Test
    void firstRetryWaitsBetweenHalfTheBaseAndTheBase() {
        assertThat(new Backoff(BASE, CAP, SHORTEST).delay(1)).isEqualTo(Duration.ofMillis(50));
        assertThat(new Backoff(BASE, CAP, LONGEST).delay(1)).isEqualTo(BASE);
    }

    @Test
    void doublesPerAttemptUntilTheCap() {
        Backoff shortest = new Backoff(BASE, CAP, SHORTEST);
        Backoff longest = new Backoff(BASE, CAP, LONGEST);
        long[] expectedCeilingsMillis = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int attempt = 1; attempt <= expectedCeilingsMillis.length; attempt++) {
            Duration ceiling = Duration.ofMillis(expectedCeilingsMillis[attempt - 1]);
            assertThat(shortest.delay(attempt)).as("shortest wait of attempt %d", attempt)
                    .isEqualTo(ceiling.dividedBy(2));
            assertThat(longest.delay(attempt)).as("longest wait of attempt %d", attempt).isEqualTo(ceiling);
        }
    }

    @Test
    void staysAtTheCapWithoutOverflowForAnyAttempt() {
        Duration cap = Duration.ofDays(1);
        for (int attempt : new int[] {48, 63, 64, 1_000, Integer.MAX_VALUE}) {
            assertThat(new Backoff(Duration.ofNanos(1), cap, SHORTEST).delay(attempt)).isEqualTo(cap.dividedBy(2));
            assertThat(new Backoff(Duration.ofMillis(1), cap, LONGEST).delay(attempt)).isEqualTo(cap);
        }
        assertThat(new Backoff(CAP, CAP, LONGEST).delay(Integer.MAX_VALUE)).isEqualTo(CAP);
    }

    @Test
    void countsAttemptsBelowOneAsTheFirst() {
        Backoff longest = new Backoff(BASE, CAP, LONGEST);
        assertThat(longest.delay(0)).isEqualTo(BASE);
        assertThat(longest.delay(-5)).isEqualTo(BASE);
        assertThat(new Backoff(BASE, CAP, SHORTEST).delay(Integer.MIN_VALUE)).isEqualTo(Duration.ofMillis(50));
    }

    @Test
    void aZeroBaseRetriesAtOnce() {
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).delay(1)).isZero();
        assertThat(new Backoff(Duration.ZERO, CAP, LONGEST).delay(10)).isZero();
    }

    @Test
    void jittersWithinTheRangeOfEachAttempt() {
        Backoff backoff = new Backoff(BASE, CAP);
        for (int attempt = 1; attempt <= 6; attempt++) {
            Duration ceiling = BASE.multipliedBy(1L << (attempt - 1));
            Duration expectedCeiling = ceiling.compareTo(CAP) > 0 ? CAP : ceiling;
            Set<Duration> drawn = new HashSet<>();
            for (int i = 0; i < 200; i++) {
                Duration delay = backoff.delay(attempt);
                assertThat(delay).as("attempt %d", attempt)
                        .isBetween(expectedCeiling.dividedBy(2), expectedCeiling);
                drawn.add(delay);
            }
            assertThat(drawn).as("distinct waits of attempt %d", attempt).hasSizeGreaterThan(100);
        }
    }

    @Test
    void rejectsANegativeBaseOrACapBelowTheBase() {
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), CAP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(CAP, BASE)).isInstanceOf(IllegalArgumentException.class);
    }
}
