package io.shopflow.saga.adapter.persistence;

import io.shopflow.outbox.RetentionPolicy;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.saga.application.SagaStore;
import io.shopflow.saga.domain.SagaHistoryEntry;
import io.shopflow.saga.domain.placeorder.OrderLine;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderSnapshot;
import io.shopflow.saga.domain.placeorder.PlaceOrderState;
import io.shopflow.saga.domain.placeorder.PlaceOrderStep;
import io.shopflow.saga.domain.placeorder.RejectionReason;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Sagas in PostgreSQL: changes within the caller's unit of work, reads in a session of their own
 * outside any transaction.
 */
@ApplicationScoped
class PostgresSagaStore implements SagaStore {

    static final String TYPE = "PlaceOrder";

    /**
     * The sagas' retention (ADR 12): a saga that ended (approved or rejected) longer than
     * {@code shopflow.retention.finished-sagas} ago is deleted. Running, compensating and stuck
     * sagas are never pruned; the order itself stays in order-service.
     */
    @Produces
    @Singleton
    static RetentionPolicy finishedSagas(
            @ConfigProperty(name = "shopflow.retention.finished-sagas", defaultValue = "30d") Duration window) {
        return new RetentionPolicy("saga", "ended_at", window);
    }

    private final Mutiny.SessionFactory sessions;

    PostgresSagaStore(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    @Override
    public Uni<Boolean> insertIfAbsent(UnitOfWork work, PlaceOrderSaga saga, String traceparent) {
        Mutiny.Session session = work.session();
        return session.find(SagaEntity.class, saga.orderId()).chain(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(false);
            }
            SagaEntity e = new SagaEntity();
            e.orderId = saga.orderId();
            e.sagaType = TYPE;
            e.traceparent = traceparent;
            copy(saga.snapshot(), e);
            return session.persist(e).replaceWith(true);
        });
    }

    @Override
    public Uni<Optional<PlaceOrderSaga>> lock(UnitOfWork work, UUID orderId) {
        return work.session().find(SagaEntity.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .map(e -> Optional.ofNullable(e).map(PostgresSagaStore::toDomain));
    }

    @Override
    public Uni<Void> update(UnitOfWork work, PlaceOrderSaga saga) {
        return work.session().find(SagaEntity.class, saga.orderId()).invoke(e -> copy(saga.snapshot(), e))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<Due>> lockDue(UnitOfWork work, Instant now, int limit) {
        return work.session().createNativeQuery("SELECT * FROM saga WHERE deadline <= ?1 AND state IN ('RUNNING', "
                        + "'COMPENSATING') ORDER BY deadline LIMIT ?2 FOR UPDATE SKIP LOCKED", SagaEntity.class)
                .setParameter(1, now).setParameter(2, limit)
                .getResultList()
                .map(rows -> rows.stream().map(e -> new Due(toDomain(e), e.traceparent)).toList());
    }

    /**
     * The relay publishes an aggregate's rows in order, so an order with an unpublished row has its
     * latest command still on its way out. One query per deadline scan; it reads only unpublished
     * rows, which the relay removes (or marks) as it publishes.
     */
    @Override
    public Uni<Set<UUID>> unpublished(UnitOfWork work, Collection<UUID> orderIds) {
        return work.session().createNativeQuery("SELECT DISTINCT aggregate_id FROM outbox WHERE published_at IS NULL "
                        + "AND aggregate_id IN (:orders)", String.class)
                .setParameter("orders", orderIds.stream().map(UUID::toString).toList())
                .getResultList()
                .map(rows -> rows.stream().map(UUID::fromString).collect(Collectors.toSet()));
    }

    @Override
    public Uni<Optional<PlaceOrderSnapshot>> find(UUID orderId) {
        return sessions.withSession(session -> session.find(SagaEntity.class, orderId)
                .map(e -> Optional.ofNullable(e).map(x -> toDomain(x).snapshot())));
    }

    @Override
    public Uni<Long> count(PlaceOrderState state) {
        return sessions.withSession(session -> session
                .createSelectionQuery("SELECT count(e) FROM SagaEntity e WHERE e.state = :state", Long.class)
                .setParameter("state", state.name()).getSingleResult());
    }

    @Override
    public Uni<List<PlaceOrderSnapshot>> list(Optional<PlaceOrderState> state, int limit) {
        String where = state.isPresent() ? " WHERE e.state = :state" : "";
        return sessions.withSession(session -> {
            Mutiny.SelectionQuery<SagaEntity> query = session.createSelectionQuery(
                    "FROM SagaEntity e" + where + " ORDER BY e.startedAt DESC", SagaEntity.class).setMaxResults(limit);
            state.ifPresent(s -> query.setParameter("state", s.name()));
            return query.getResultList().map(rows -> rows.stream().map(e -> toDomain(e).snapshot()).toList());
        });
    }

    private static void copy(PlaceOrderSnapshot s, SagaEntity e) {
        e.customerId = s.customerId();
        e.items = new SagaEntity.Items(s.items().stream().map(l -> new SagaEntity.Line(l.sku(), l.quantity())).toList());
        e.step = s.step().name();
        e.state = s.state().name();
        e.compensating = s.state() == PlaceOrderState.COMPENSATING || s.step().isCompensation();
        e.rejectionReason = s.rejectionReason() == null ? null : s.rejectionReason().name();
        e.totalCents = s.totalCents();
        e.authorizationId = s.authorizationId();
        e.stockMayBeHeld = s.stockMayBeHeld();
        e.paymentMayBeHeld = s.paymentMayBeHeld();
        e.attempts = s.attempts();
        e.extensions = s.extensions();
        e.stepStartedAt = s.stepStartedAt();
        e.deadline = s.deadline();
        e.startedAt = s.startedAt();
        e.endedAt = s.endedAt();
        e.history = new SagaEntity.History(s.history().stream()
                .map(h -> new SagaEntity.Entry(h.at(), h.step().name(), h.event())).toList());
    }

    private static PlaceOrderSaga toDomain(SagaEntity e) {
        return PlaceOrderSaga.restore(PlaceOrderSnapshot.builder()
                .orderId(e.orderId)
                .customerId(e.customerId)
                .items(e.items.lines().stream().map(l -> new OrderLine(l.sku(), l.quantity())).toList())
                .startedAt(e.startedAt)
                .history(e.history.entries().stream()
                        .map(h -> new SagaHistoryEntry<>(h.at(), PlaceOrderStep.valueOf(h.step()), h.event())).toList())
                .step(PlaceOrderStep.valueOf(e.step))
                .state(PlaceOrderState.valueOf(e.state))
                .rejectionReason(e.rejectionReason == null ? null : RejectionReason.valueOf(e.rejectionReason))
                .totalCents(e.totalCents)
                .authorizationId(e.authorizationId)
                .stockMayBeHeld(e.stockMayBeHeld)
                .paymentMayBeHeld(e.paymentMayBeHeld)
                .attempts(e.attempts)
                .extensions(e.extensions)
                .stepStartedAt(e.stepStartedAt)
                .deadline(e.deadline)
                .endedAt(e.endedAt)
                .build());
    }
}
