package io.shopflow.saga.domain;

import io.shopflow.saga.domain.PlaceOrderSaga.DeadlineOutcome;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given/expect DSL for the PlaceOrder saga: {@code given().placed().and(replies...)
 * .when(input).expect(commands...).inState(state, step)}. Time only moves when a test says
 * so ({@link #after(Duration)}), so deadlines are exact; {@link #POLICY}'s jitter draws 0, so
 * resends wait their full time unless a test passes its own policy.
 */
final class SagaFixture {

    static final DeadlinePolicy POLICY = policy(() -> 0.0);
    static final List<OrderLine> ITEMS = List.of(new OrderLine("SKU-1", 2), new OrderLine("SKU-2", 1));

    private final DeadlinePolicy policy;
    private Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private PlaceOrderSaga saga;
    private List<SagaCommand> lastCommands = List.of();
    private DeadlineOutcome lastOutcome;

    private SagaFixture(DeadlinePolicy policy) {
        this.policy = policy;
    }

    /** Step timeout 10 s, cap 60 s, 3 attempts, queued wait up to 2 min, equal jitter drawn from {@code random}. */
    static DeadlinePolicy policy(DoubleSupplier random) {
        return new DeadlinePolicy(Duration.ofSeconds(10), Duration.ofSeconds(60), 3, Duration.ofMinutes(2), 0.5,
                random);
    }

    static SagaFixture given() {
        return new SagaFixture(POLICY);
    }

    static SagaFixture given(DeadlinePolicy policy) {
        return new SagaFixture(policy);
    }

    SagaFixture placed() {
        PlaceOrderSaga.Started started = PlaceOrderSaga.start(UUID.randomUUID(), "alice", ITEMS, now, policy);
        saga = started.saga();
        lastCommands = started.commands();
        return this;
    }

    /** Replies already received before the one under test. */
    SagaFixture and(SagaInput... inputs) {
        for (SagaInput input : inputs) {
            lastCommands = saga.handle(input, now, policy);
        }
        return this;
    }

    SagaFixture after(Duration elapsed) {
        now = now.plus(elapsed);
        return this;
    }

    SagaFixture when(SagaInput input) {
        lastCommands = saga.handle(input, now, policy);
        return this;
    }

    /** The deadline passed and nothing is queued: the command (or its reply) is lost. */
    SagaFixture whenDeadlinePasses() {
        return deadlinePasses(new SagaInput.DeadlineExpired(false, true));
    }

    /** The deadline passed while the command or its reply still waits in a healthy queue. */
    SagaFixture whenDeadlinePassesWhileQueued() {
        return deadlinePasses(new SagaInput.DeadlineExpired(true, true));
    }

    /** The deadline passed, nothing is queued, and the scan has already used its resends. */
    SagaFixture whenDeadlinePassesWithNoResendLeft() {
        return deadlinePasses(new SagaInput.DeadlineExpired(false, false));
    }

    /** Moves time to the deadline and expires it. */
    private SagaFixture deadlinePasses(SagaInput.DeadlineExpired expired) {
        now = saga.deadline().orElseThrow();
        PlaceOrderSaga.Expiry expiry = saga.expire(expired, now, policy);
        lastCommands = expiry.commands();
        lastOutcome = expiry.outcome();
        return this;
    }

    SagaFixture expect(SagaCommand... commands) {
        assertThat(lastCommands).containsExactly(commands);
        return this;
    }

    SagaFixture expectNothing() {
        assertThat(lastCommands).isEmpty();
        return this;
    }

    SagaFixture outcome(DeadlineOutcome expected) {
        assertThat(lastOutcome).isEqualTo(expected);
        return this;
    }

    SagaFixture inState(SagaState state, SagaStep step) {
        assertThat(saga.state()).isEqualTo(state);
        assertThat(saga.step()).isEqualTo(step);
        return this;
    }

    SagaFixture rejectedFor(RejectionReason reason) {
        assertThat(saga.rejectionReason()).contains(reason);
        return this;
    }

    SagaFixture attempts(int expected) {
        assertThat(saga.attempts()).isEqualTo(expected);
        return this;
    }

    SagaFixture deadlineIn(Duration expected) {
        assertThat(saga.deadline()).contains(now.plus(expected));
        return this;
    }

    /** The deadline is {@code expected} after the current step was entered. */
    SagaFixture deadlineAfterStepStart(Duration expected) {
        assertThat(saga.deadline()).contains(saga.snapshot().stepStartedAt().plus(expected));
        return this;
    }

    PlaceOrderSaga saga() {
        return saga;
    }
}
