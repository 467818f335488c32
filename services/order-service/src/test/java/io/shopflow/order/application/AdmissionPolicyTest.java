package io.shopflow.order.application;

import io.shopflow.order.application.AdmissionPolicy.Decision;
import io.shopflow.order.application.AdmissionPolicy.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class AdmissionPolicyTest {

    private static final AdmissionPolicy POLICY =
            new AdmissionPolicy(true, 10, Duration.ofSeconds(2), Duration.ofSeconds(5));

    @Test
    void acceptsWhileBothBoundsHold() {
        assertThat(POLICY.decide(0, Duration.ZERO)).isEqualTo(Decision.ACCEPTED);
        assertThat(POLICY.decide(10, Duration.ofSeconds(2))).as("at the bounds").isEqualTo(Decision.ACCEPTED);
        assertThat(POLICY.decide(10, Duration.ofSeconds(2)).accepted()).isTrue();
    }

    @Test
    void refusesOverTheCountAndAsksForARetryInOneSecond() {
        Decision decision = POLICY.decide(11, Duration.ofMillis(300));

        assertThat(decision.accepted()).isFalse();
        assertThat(decision.reason()).isEqualTo(Reason.PENDING);
        assertThat(decision.retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refusesOverTheAgeAndAsksForARetryAsFarAsTheOldestOrderIsBehind() {
        assertThat(POLICY.decide(0, Duration.ofMillis(2001))).isEqualTo(new Decision(Reason.OLDEST_AGE, 1));
        assertThat(POLICY.decide(3, Duration.ofMillis(4500))).isEqualTo(new Decision(Reason.OLDEST_AGE, 3));
        assertThat(POLICY.decide(3, Duration.ofSeconds(5))).isEqualTo(new Decision(Reason.OLDEST_AGE, 3));
    }

    @Test
    void capsRetryAfterForAStalledSystem() {
        assertThat(POLICY.decide(3, Duration.ofMinutes(1)).retryAfterSeconds()).isEqualTo(5);
        assertThat(new AdmissionPolicy(true, 10, Duration.ofSeconds(2), Duration.ofMillis(200))
                .decide(3, Duration.ofMinutes(1)).retryAfterSeconds()).as("never below 1 s").isEqualTo(1);
    }

    @Test
    void namesTheAgeWhenBothBoundsAreExceeded() {
        assertThat(POLICY.decide(500, Duration.ofSeconds(8))).isEqualTo(new Decision(Reason.OLDEST_AGE, 5));
    }

    @Test
    void acceptsEverythingWhenDisabled() {
        AdmissionPolicy off = new AdmissionPolicy(false, 10, Duration.ofSeconds(2), Duration.ofSeconds(5));

        assertThat(off.decide(1_000_000, Duration.ofHours(1))).isEqualTo(Decision.ACCEPTED);
    }

    @Test
    void labelsReasonsForTheMetric() {
        assertThat(Reason.NONE.label()).isEqualTo("none");
        assertThat(Reason.PENDING.label()).isEqualTo("pending");
        assertThat(Reason.OLDEST_AGE.label()).isEqualTo("oldest_age");
    }
}
