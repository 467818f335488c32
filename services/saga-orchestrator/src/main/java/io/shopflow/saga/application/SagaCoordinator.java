package io.shopflow.saga.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.outbox.UnitsOfWork;
import io.shopflow.saga.config.SagaSettings;
import io.shopflow.saga.domain.DeadlinePolicy;
import io.shopflow.saga.domain.placeorder.OrderLine;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderSnapshot;
import io.shopflow.saga.domain.placeorder.PlaceOrderState;
import io.shopflow.saga.domain.placeorder.PlaceOrderStep;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs the PlaceOrder saga: every input is applied to the row-locked saga, and the new state
 * and the commands it sends commit together in one unit of work (with the inbox entry of the
 * message that caused them, when a consumer's batch is that unit of work). An operator's call and
 * the deadline scan open their own.
 */
@ApplicationScoped
public class SagaCoordinator {

    private final UnitsOfWork units;
    private final SagaStore store;
    private final Backlog backlog;
    private final OutgoingMessages messages;
    private final SagaTracing tracing;
    private final SagaSettings settings;
    private final DeadlinePolicy policy;
    private final Clock clock;
    private final MeterRegistry registry;
    private final Counter started;
    private final Counter compensations;
    private final Map<PlaceOrderStep, Counter> steps = new EnumMap<>(PlaceOrderStep.class);
    private final Map<PlaceOrderStep, Counter> retries = new EnumMap<>(PlaceOrderStep.class);
    private final Map<PlaceOrderStep, Counter> expiries = new EnumMap<>(PlaceOrderStep.class);
    private final Map<PlaceOrderStep, Counter> extensions = new EnumMap<>(PlaceOrderStep.class);
    private final Map<PlaceOrderStep, Counter> deferred = new EnumMap<>(PlaceOrderStep.class);

    SagaCoordinator(UnitsOfWork units, SagaStore store, Backlog backlog, OutgoingMessages messages,
                    SagaTracing tracing, SagaSettings settings, Clock clock, MeterRegistry registry) {
        this.units = units;
        this.store = store;
        this.backlog = backlog;
        this.messages = messages;
        this.tracing = tracing;
        this.settings = settings;
        this.policy = new DeadlinePolicy(settings.stepTimeout(), settings.deadlineCap(), settings.maxAttempts(),
                settings.maxQueuedWait(), settings.resendJitter(), () -> ThreadLocalRandom.current().nextDouble());
        this.clock = clock;
        this.registry = registry;
        this.started = Counter.builder("shopflow.sagas.started").description("PlaceOrder sagas started")
                .register(registry);
        this.compensations = Counter.builder("shopflow.saga.compensations")
                .description("Sagas that started compensating").register(registry);
        // Every step registered up front, so that a dashboard shows 0 rather than no series.
        for (PlaceOrderStep step : PlaceOrderStep.values()) {
            steps.put(step, Counter.builder("shopflow.saga.steps").tag("step", step.name())
                    .description("Saga steps entered").register(registry));
            retries.put(step, Counter.builder("shopflow.saga.retries").tag("step", step.name())
                    .description("Commands re-sent because the step's deadline passed").register(registry));
            expiries.put(step, Counter.builder("shopflow.saga.deadline.expiries").tag("step", step.name())
                    .description("Step deadlines that passed").register(registry));
            extensions.put(step, Counter.builder("shopflow.saga.deadline.extensions").tag("step", step.name())
                    .description("Step deadlines extended without a resend: the command or its reply was still queued")
                    .register(registry));
            deferred.put(step, Counter.builder("shopflow.saga.resends.deferred").tag("step", step.name())
                    .description("Due resends left to a later scan by shopflow.saga.max-resends-per-scan")
                    .register(registry));
        }
    }

    /** Starts the saga of a placed order; a repeat for the same order changes nothing. */
    public Uni<Void> start(UnitOfWork work, UUID orderId, String customerId, List<OrderLine> items,
                           String causationId) {
        Instant now = clock.instant();
        PlaceOrderSaga.Started s = PlaceOrderSaga.start(orderId, customerId, items, now, policy);
        return store.insertIfAbsent(work, s.saga(), tracing.current()).chain(inserted -> {
            if (!inserted) {
                return Uni.createFrom().voidItem();
            }
            started.increment();
            steps.get(s.saga().step()).increment();
            return tracing.inStep(s.saga(), "OrderPlaced",
                    () -> send(work, s.saga(), s.commands(), causationId, now, PlaceOrderState.RUNNING));
        });
    }

    /** Applies a participant's reply (or an operator's input) to the saga of {@code orderId}. */
    public Uni<Optional<PlaceOrderSnapshot>> react(UnitOfWork work, UUID orderId, PlaceOrderInput input,
                                                   String causationId) {
        return store.lock(work, orderId).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<PlaceOrderSnapshot>empty());
            }
            return apply(work, found.get(), input, causationId).map(Optional::of);
        });
    }

    /** What an operator's retry or abort did. */
    public enum OperatorOutcome { APPLIED, NOT_APPLICABLE, NOT_FOUND }

    /** An operator's retry or abort, in its own transaction. */
    public Uni<OperatorOutcome> operate(UUID orderId, PlaceOrderInput operatorInput) {
        return units.inTransaction(work -> store.lock(work, orderId).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(OperatorOutcome.NOT_FOUND);
            }
            PlaceOrderSaga saga = found.get();
            boolean applicable = operatorInput instanceof PlaceOrderInput.OperatorAbort
                    ? saga.canAbort() : saga.state() == PlaceOrderState.STUCK;
            if (!applicable) {
                return Uni.createFrom().item(OperatorOutcome.NOT_APPLICABLE);
            }
            return apply(work, saga, operatorInput, null).replaceWith(OperatorOutcome.APPLIED);
        }));
    }

    public Uni<Optional<PlaceOrderSnapshot>> get(UUID orderId) {
        return store.find(orderId);
    }

    /** How many sagas are in {@code state} (the {@code shopflow_sagas_stuck} gauge counts STUCK). */
    public Uni<Long> count(PlaceOrderState state) {
        return store.count(state);
    }

    public Uni<List<PlaceOrderSnapshot>> list(Optional<PlaceOrderState> state, int limit) {
        return store.list(state, limit);
    }

    /**
     * Handles up to one batch of sagas whose deadline passed, oldest deadline first, in its own
     * transaction; returns how many were due. A saga whose command or reply may still be queued
     * (unpublished in this service's outbox, or behind a busy consumer: {@link Backlog}) is late,
     * not lost: its deadline is extended. At most {@code max-resends-per-scan} commands are resent.
     * Each saga that changes is handled in a {@code saga deadline <STEP>} span in the order's own trace.
     */
    public Uni<Integer> expireDue() {
        Instant now = clock.instant();
        return units.inTransaction(work -> store.lockDue(work, now, settings.scanBatch())
                .chain(due -> {
                    if (due.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    List<UUID> orders = due.stream().map(d -> d.saga().orderId()).toList();
                    // The backlog is probed once per scan, not per saga: one look at the queues serves the batch.
                    return store.unpublished(work, orders).chain(unpublished -> backlog.probe()
                            .chain(queues -> expire(work, due, unpublished, queues))
                            .replaceWith(due.size()));
                }));
    }

    private Uni<Void> expire(UnitOfWork work, List<SagaStore.Due> due, Set<UUID> unpublished,
                             Backlog.Queues queues) {
        DeadlineScan scan = new DeadlineScan(settings.maxResendsPerScan());
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (SagaStore.Due d : due) {
            UUID order = d.saga().orderId();
            boolean mayBeQueued = unpublished.contains(order) || queues.mayHold(order, d.saga().step());
            chain = chain.chain(() -> expire(work, d, scan, mayBeQueued));
        }
        return chain;
    }

    private Uni<Void> expire(UnitOfWork work, SagaStore.Due due, DeadlineScan scan, boolean mayBeQueued) {
        PlaceOrderSaga saga = due.saga();
        Instant now = clock.instant();
        PlaceOrderState before = saga.state();
        PlaceOrderStep step = saga.step();
        PlaceOrderSaga.Expiry expiry = scan.expire(saga, mayBeQueued, now, policy);
        switch (expiry.outcome()) {
            case NOT_DUE -> {
                return Uni.createFrom().voidItem();
            }
            case DEFERRED -> {
                // Unchanged and still due: nothing to write, a later scan takes it first.
                deferred.get(step).increment();
                return Uni.createFrom().voidItem();
            }
            case EXTENDED -> extensions.get(step).increment();
            case RESENT -> retries.get(step).increment();
            case COMPENSATING, STUCK -> {
                // Counted by save(): a compensation, or the STUCK gauge.
            }
        }
        expiries.get(step).increment();
        return tracing.inDeadline(due.traceparent(), saga.orderId(), step, expiry.outcome(),
                () -> save(work, saga, "DeadlineExpired", expiry.commands(), null, now, before, step)
                        .replaceWithVoid());
    }

    private Uni<PlaceOrderSnapshot> apply(UnitOfWork work, PlaceOrderSaga saga, PlaceOrderInput input,
                                          String causationId) {
        Instant now = clock.instant();
        PlaceOrderState before = saga.state();
        PlaceOrderStep stepBefore = saga.step();
        List<PlaceOrderCommand> commands = saga.handle(input, now, policy);
        return save(work, saga, input.getClass().getSimpleName(), commands, causationId, now, before, stepBefore);
    }

    /** Stores what an input did to the saga and appends the commands it sends, counting steps and compensations. */
    private Uni<PlaceOrderSnapshot> save(UnitOfWork work, PlaceOrderSaga saga, String input,
                                         List<PlaceOrderCommand> commands, String causationId, Instant now,
                                         PlaceOrderState before, PlaceOrderStep stepBefore) {
        if (before != PlaceOrderState.COMPENSATING && saga.state() == PlaceOrderState.COMPENSATING) {
            compensations.increment();
        }
        if (saga.step() != stepBefore) {
            steps.get(saga.step()).increment();
        }
        return store.update(work, saga)
                .chain(() -> tracing.inStep(saga, input, () -> send(work, saga, commands, causationId, now, before)))
                .replaceWith(saga::snapshot);
    }

    /** Sends the commands, then SagaCompleted when this input ended the saga, which it counts and times. */
    private Uni<Void> send(UnitOfWork work, PlaceOrderSaga saga, List<PlaceOrderCommand> commands,
                           String causationId, Instant now, PlaceOrderState before) {
        Uni<Void> sent = messages.send(work, saga.orderId(), commands, causationId, now);
        if (before.isFinal() || !saga.state().isFinal()) {
            return sent;
        }
        Duration took = Duration.between(saga.snapshot().startedAt(), now);
        Timer.builder("shopflow.saga.duration").tag("outcome", saga.state().name())
                .description("From OrderPlaced to the saga's final state").publishPercentileHistogram()
                .register(registry).record(took);
        Counter.builder("shopflow.sagas.completed").tag("outcome", saga.state().name())
                .tag("reason", saga.rejectionReason().map(Enum::name).orElse("none"))
                .description("PlaceOrder sagas that reached a final state").register(registry).increment();
        return sent.chain(() -> messages.completed(work, saga, took, causationId, now));
    }
}
