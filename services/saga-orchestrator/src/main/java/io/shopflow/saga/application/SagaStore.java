package io.shopflow.saga.application;

import io.shopflow.outbox.UnitOfWork;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderSnapshot;
import io.shopflow.saga.domain.placeorder.PlaceOrderState;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Where the sagas are kept (ADR 15's store port). What changes a saga runs in the caller's unit of
 * work; the reads of the ops API and of the stuck gauge need none and run outside any transaction.
 */
public interface SagaStore {

    /** A saga whose deadline passed, with the trace it belongs to (null when it was started untraced). */
    record Due(PlaceOrderSaga saga, String traceparent) {
    }

    /**
     * Inserts a new saga, remembering {@code traceparent} (the order's trace); false when the
     * order already has one (a redelivered OrderPlaced).
     */
    Uni<Boolean> insertIfAbsent(UnitOfWork work, PlaceOrderSaga saga, String traceparent);

    /** The saga of {@code orderId}, row-locked until the unit of work ends. */
    Uni<Optional<PlaceOrderSaga>> lock(UnitOfWork work, UUID orderId);

    /** Writes back a saga loaded with {@link #lock} or {@link #lockDue} in this unit of work. */
    Uni<Void> update(UnitOfWork work, PlaceOrderSaga saga);

    /**
     * Up to {@code limit} sagas whose deadline passed, oldest deadline first, locked; sagas another
     * orchestrator instance holds are skipped, so each due step is handled by one instance.
     */
    Uni<List<Due>> lockDue(UnitOfWork work, Instant now, int limit);

    /**
     * Which of {@code orderIds} still have a message in this service's outbox that the relay has
     * not published: such an order's latest command is still on its way out, late, not lost.
     */
    Uni<Set<UUID>> unpublished(UnitOfWork work, Collection<UUID> orderIds);

    Uni<Optional<PlaceOrderSnapshot>> find(UUID orderId);

    Uni<Long> count(PlaceOrderState state);

    /** Up to {@code limit} sagas, newest first, optionally only those in {@code state}. */
    Uni<List<PlaceOrderSnapshot>> list(Optional<PlaceOrderState> state, int limit);
}
