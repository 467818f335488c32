package io.shopflow.saga.application;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.outbox.UnitsOfWork;
import io.shopflow.saga.config.SagaSettings;
import io.shopflow.saga.domain.DeadlinePolicy;
import io.shopflow.saga.domain.placeorder.OrderLine;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderSnapshot;
import io.shopflow.saga.domain.placeorder.PlaceOrderState;
import io.shopflow.saga.domain.placeorder.PlaceOrderStep;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deadline scan of {@link SagaCoordinator#expireDue()} as a plain use case (ADR 15): in-memory
 * ports, a unit of work that is never opened, no Quarkus and no database. It checks what the
 * Quarkus tests cannot pin down in one scan: which due sagas are written, which send, and how
 * each outcome is counted.
 */
class DeadlineExpiryTest {

    private static final Instant PLACED = Instant.parse("2026-01-01T10:00:00Z");
    /** Past every first deadline (10 s), within the queued wait (2 min). */
    private static final Instant SCAN = PLACED.plus(Duration.ofMinutes(1));
    private static final DeadlinePolicy POLICY = new DeadlinePolicy(Duration.ofSeconds(10), Duration.ofSeconds(60),
            3, Duration.ofMinutes(2), 0, () -> 0.0);

    private final Sagas store = new Sagas();
    private final Sent sent = new Sent();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void extendsQueuedSagasResendsUpToTheCapAndLeavesTheRestUnwritten() {
        UUID unpublished = store.placed(0);
        UUID queued = store.placed(1);
        UUID lost = store.placed(2);
        UUID deferred = store.placed(3);
        store.unpublished.add(unpublished);
        Backlog backlog = () -> Uni.createFrom().item((order, step) -> order.equals(queued));

        int due = coordinator(backlog, 1).expireDue().await().indefinitely();

        assertThat(due).isEqualTo(4);
        assertThat(store.updated).containsExactly(unpublished, queued, lost);
        assertThat(sent.commands).containsOnlyKeys(lost);
        assertThat(sent.commands.get(lost)).singleElement().isInstanceOf(PlaceOrderCommand.ReserveStock.class);
        assertThat(store.sagas.get(unpublished).extensions()).isEqualTo(1);
        assertThat(store.sagas.get(queued).extensions()).isEqualTo(1);
        assertThat(store.sagas.get(lost).attempts()).isEqualTo(2);
        assertThat(store.sagas.get(deferred).attempts()).isEqualTo(1);
        assertThat(store.sagas.get(deferred).deadline()).contains(store.firstDeadline(3));
        assertThat(count("shopflow.saga.deadline.extensions")).isEqualTo(2);
        assertThat(count("shopflow.saga.retries")).isEqualTo(1);
        assertThat(count("shopflow.saga.resends.deferred")).isEqualTo(1);
        assertThat(count("shopflow.saga.deadline.expiries")).isEqualTo(3);
    }

    @Test
    void aScanWithNothingDueAsksNeitherTheOutboxNorTheQueues() {
        store.placed(0);
        Backlog backlog = () -> {
            throw new AssertionError("probed with nothing due");
        };

        int due = new SagaCoordinator(new UnopenedUnitsOfWork(), store, backlog, sent, new NoTracing(),
                settings(20), Clock.fixed(PLACED, ZoneOffset.UTC), registry).expireDue().await().indefinitely();

        assertThat(due).isZero();
        assertThat(store.unpublishedAsked).isFalse();
        assertThat(store.updated).isEmpty();
    }

    private SagaCoordinator coordinator(Backlog backlog, int maxResendsPerScan) {
        return new SagaCoordinator(new UnopenedUnitsOfWork(), store, backlog, sent, new NoTracing(),
                settings(maxResendsPerScan), Clock.fixed(SCAN, ZoneOffset.UTC), registry);
    }

    private double count(String counter) {
        return registry.get(counter).tag("step", PlaceOrderStep.RESERVE_STOCK.name()).counter().count();
    }

    /** {@link #POLICY} and the cap under test as configuration (ISO durations: no Quarkus converter here). */
    private static SagaSettings settings(int maxResendsPerScan) {
        return new SmallRyeConfigBuilder().withMapping(SagaSettings.class)
                .withSources(new PropertiesConfigSource(Map.of(
                        "shopflow.saga.step-timeout", POLICY.stepTimeout().toString(),
                        "shopflow.saga.deadline-cap", POLICY.cap().toString(),
                        "shopflow.saga.max-attempts", String.valueOf(POLICY.maxAttempts()),
                        "shopflow.saga.max-queued-wait", POLICY.maxQueuedWait().toString(),
                        "shopflow.saga.resend-jitter", String.valueOf(POLICY.jitter()),
                        "shopflow.saga.scan-interval", "PT1S",
                        "shopflow.saga.max-resends-per-scan", String.valueOf(maxResendsPerScan)), "test", 500))
                .build().getConfigMapping(SagaSettings.class);
    }

    /** Runs the work with a unit of work whose session nobody may take: the ports here need none. */
    private static final class UnopenedUnitsOfWork implements UnitsOfWork {
        @Override
        public <T> Uni<T> inTransaction(Function<UnitOfWork, Uni<T>> work) {
            return work.apply(() -> {
                throw new AssertionError("an in-memory port took the session");
            });
        }
    }

    private static final class NoTracing implements SagaTracing {
        @Override
        public String current() {
            return null;
        }

        @Override
        public <T> Uni<T> inStep(PlaceOrderSaga saga, String input, Supplier<Uni<T>> work) {
            return work.get();
        }

        @Override
        public <T> Uni<T> inDeadline(String traceparent, UUID orderId, PlaceOrderStep step,
                                     PlaceOrderSaga.DeadlineOutcome outcome, Supplier<Uni<T>> work) {
            return work.get();
        }
    }

    /** Commands sent, per order. */
    private static final class Sent implements OutgoingMessages {
        final Map<UUID, List<PlaceOrderCommand>> commands = new LinkedHashMap<>();

        @Override
        public Uni<Void> send(UnitOfWork work, UUID orderId, List<PlaceOrderCommand> sent, String causationId,
                              Instant now) {
            if (!sent.isEmpty()) {
                commands.computeIfAbsent(orderId, o -> new ArrayList<>()).addAll(sent);
            }
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> completed(UnitOfWork work, PlaceOrderSaga saga, Duration took, String causationId,
                                   Instant now) {
            throw new AssertionError("no saga ends in these scans");
        }
    }

    /** Sagas in a map, as the store's SQL selects them: due, running or compensating, oldest deadline first. */
    private static final class Sagas implements SagaStore {
        final Map<UUID, PlaceOrderSaga> sagas = new LinkedHashMap<>();
        final Set<UUID> unpublished = new HashSet<>();
        final List<UUID> updated = new ArrayList<>();
        boolean unpublishedAsked;

        /** A saga placed {@code nth} milliseconds after {@link #PLACED}, so that deadlines have an order. */
        UUID placed(int nth) {
            PlaceOrderSaga saga = PlaceOrderSaga.start(UUID.randomUUID(), "alice", List.of(new OrderLine("SKU-1", 1)),
                    PLACED.plusMillis(nth), POLICY).saga();
            sagas.put(saga.orderId(), saga);
            return saga.orderId();
        }

        Instant firstDeadline(int nth) {
            return PLACED.plusMillis(nth).plus(POLICY.stepTimeout());
        }

        @Override
        public Uni<List<Due>> lockDue(UnitOfWork work, Instant now, int limit) {
            return Uni.createFrom().item(sagas.values().stream()
                    .filter(s -> s.state() == PlaceOrderState.RUNNING || s.state() == PlaceOrderState.COMPENSATING)
                    .filter(s -> s.deadline().filter(d -> !d.isAfter(now)).isPresent())
                    .sorted(Comparator.comparing(s -> s.deadline().orElseThrow()))
                    .limit(limit).map(s -> new Due(s, null)).toList());
        }

        @Override
        public Uni<Set<UUID>> unpublished(UnitOfWork work, Collection<UUID> orderIds) {
            unpublishedAsked = true;
            return Uni.createFrom().item(orderIds.stream().filter(unpublished::contains).collect(Collectors.toSet()));
        }

        @Override
        public Uni<Void> update(UnitOfWork work, PlaceOrderSaga saga) {
            updated.add(saga.orderId());
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Boolean> insertIfAbsent(UnitOfWork work, PlaceOrderSaga saga, String traceparent) {
            throw new AssertionError("not a scan's");
        }

        @Override
        public Uni<Optional<PlaceOrderSaga>> lock(UnitOfWork work, UUID orderId) {
            throw new AssertionError("not a scan's");
        }

        @Override
        public Uni<Optional<PlaceOrderSnapshot>> find(UUID orderId) {
            throw new AssertionError("not a scan's");
        }

        @Override
        public Uni<Long> count(PlaceOrderState state) {
            throw new AssertionError("not a scan's");
        }

        @Override
        public Uni<List<PlaceOrderSnapshot>> list(Optional<PlaceOrderState> state, int limit) {
            throw new AssertionError("not a scan's");
        }
    }
}
