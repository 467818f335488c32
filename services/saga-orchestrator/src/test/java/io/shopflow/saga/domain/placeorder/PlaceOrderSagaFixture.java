package io.shopflow.saga.domain.placeorder;

import io.shopflow.saga.domain.DeadlinePolicy;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga.DeadlineOutcome;

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
final class PlaceOrderSagaFixture {

    static final DeadlinePolicy POLICY = policy(() -> 0.0);
    static final List<OrderLine> ITEMS = List.of(new OrderLine("SKU-1", 2), new OrderLine("SKU-2", 1));

    private final DeadlinePolicy policy;
    private Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private PlaceOrderSaga saga;
    private List<PlaceOrderCommand> lastCommands = List.of();
    private DeadlineOutcome lastOutcome;

    private PlaceOrderSagaFixture(DeadlinePolicy policy) {
        this.policy = policy;
    }

    /** Step timeout 10 s, cap 60 s, 3 attempts, queued wait up to 2 min, equal jitter drawn from {@code random}. */
    static DeadlinePolicy policy(DoubleSupplier random) {
        return new DeadlinePolicy(Duration.ofSeconds(10), Duration.ofSeconds(60), 3, Duration.ofMinutes(2), 0.5,
                random);
    }

    static PlaceOrderSagaFixture given() {
        return new PlaceOrderSagaFixture(POLICY);
    }

    static PlaceOrderSagaFixture given(DeadlinePolicy policy) {
        return new PlaceOrderSagaFixture(policy);
    }

    PlaceOrderSagaFixture placed() {
        PlaceOrderSaga.Started started = PlaceOrderSaga.start(UUID.randomUUID(), "alice", ITEMS, now, policy);
        saga = started.saga();
        lastCommands = started.commands();
        return this;
    }

    /** Replies already received before the one under test. */
    PlaceOrderSagaFixture and(PlaceOrderInput... inputs) {
        for (PlaceOrderInput input : inputs) {
            lastCommands = saga.handle(input, now, policy);
        }
        return this;
    }

    PlaceOrderSagaFixture after(Duration elapsed) {
        now = now.plus(elapsed);
        return this;
    }

    PlaceOrderSagaFixture when(PlaceOrderInput input) {
        lastCommands = saga.handle(input, now, policy);
        return this;
    }

    /** The deadline passed and nothing is queued: the command (or its reply) is lost. */
    PlaceOrderSagaFixture whenDeadlinePasses() {
        return deadlinePasses(new PlaceOrderInput.DeadlineExpired(false, true));
    }

    /** The deadline passed while the command or its reply still waits in a healthy queue. */
    PlaceOrderSagaFixture whenDeadlinePassesWhileQueued() {
        return deadlinePasses(new PlaceOrderInput.DeadlineExpired(true, true));
    }

    /** The deadline passed, nothing is queued, and the scan has already used its resends. */
    PlaceOrderSagaFixture whenDeadlinePassesWithNoResendLeft() {
        return deadlinePasses(new PlaceOrderInput.DeadlineExpired(false, false));
    }

    /** Moves time to the deadline and expires it. */
    private PlaceOrderSagaFixture deadlinePasses(PlaceOrderInput.DeadlineExpired expired) {
        now = saga.deadline().orElseThrow();
        PlaceOrderSaga.Expiry expiry = saga.expire(expired, now, policy);
        lastCommands = expiry.commands();
        lastOutcome = expiry.outcome();
        return this;
    }

    PlaceOrderSagaFixture expect(PlaceOrderCommand... commands) {
        assertThat(lastCommands).containsExactly(commands);
        return this;
    }

    PlaceOrderSagaFixture expectNothing() {
        assertThat(lastCommands).isEmpty();
        return this;
    }

    PlaceOrderSagaFixture outcome(DeadlineOutcome expected) {
        assertThat(lastOutcome).isEqualTo(expected);
        return this;
    }

    PlaceOrderSagaFixture inState(PlaceOrderState state, PlaceOrderStep step) {
        assertThat(saga.state()).isEqualTo(state);
        assertThat(saga.step()).isEqualTo(step);
        return this;
    }

    PlaceOrderSagaFixture rejectedFor(RejectionReason reason) {
        assertThat(saga.rejectionReason()).contains(reason);
        return this;
    }

    PlaceOrderSagaFixture attempts(int expected) {
        assertThat(saga.attempts()).isEqualTo(expected);
        return this;
    }

    PlaceOrderSagaFixture deadlineIn(Duration expected) {
        assertThat(saga.deadline()).contains(now.plus(expected));
        return this;
    }

    /** The deadline is {@code expected} after the current step was entered. */
    PlaceOrderSagaFixture deadlineAfterStepStart(Duration expected) {
        assertThat(saga.deadline()).contains(saga.snapshot().stepStartedAt().plus(expected));
        return this;
    }

    PlaceOrderSaga saga() {
        return saga;
    }
}
