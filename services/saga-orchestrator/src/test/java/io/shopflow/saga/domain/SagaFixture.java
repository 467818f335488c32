package io.shopflow.saga.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Given/expect DSL for the PlaceOrder saga: {@code given().placed().and(replies...)
 * .when(input).expect(commands...).inState(state, step)}. Time only moves when a test says
 * so ({@link #after(Duration)}), so deadlines are exact.
 */
final class SagaFixture {

    static final DeadlinePolicy POLICY = new DeadlinePolicy(Duration.ofSeconds(10), Duration.ofSeconds(60), 3);
    static final List<OrderLine> ITEMS = List.of(new OrderLine("SKU-1", 2), new OrderLine("SKU-2", 1));

    private Instant now = Instant.parse("2026-01-01T10:00:00Z");
    private PlaceOrderSaga saga;
    private List<SagaCommand> lastCommands = List.of();

    static SagaFixture given() {
        return new SagaFixture();
    }

    SagaFixture placed() {
        PlaceOrderSaga.Started started = PlaceOrderSaga.start(UUID.randomUUID(), "alice", ITEMS, now, POLICY);
        saga = started.saga();
        lastCommands = started.commands();
        return this;
    }

    /** Replies already received before the one under test. */
    SagaFixture and(SagaInput... inputs) {
        for (SagaInput input : inputs) {
            lastCommands = saga.handle(input, now, POLICY);
        }
        return this;
    }

    SagaFixture after(Duration elapsed) {
        now = now.plus(elapsed);
        return this;
    }

    SagaFixture when(SagaInput input) {
        lastCommands = saga.handle(input, now, POLICY);
        return this;
    }

    /** The deadline passed: moves time to it and expires it. */
    SagaFixture whenDeadlinePasses() {
        now = saga.deadline().orElseThrow();
        return when(new SagaInput.DeadlineExpired());
    }

    SagaFixture expect(SagaCommand... commands) {
        assertThat(lastCommands).containsExactly(commands);
        return this;
    }

    SagaFixture expectNothing() {
        assertThat(lastCommands).isEmpty();
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

    PlaceOrderSaga saga() {
        return saga;
    }
}
