package io.shopflow.saga.application;

import io.shopflow.outbox.UnitOfWork;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What the saga sends (ADR 15's outgoing port): appended to the outbox of the caller's unit of
 * work, so that they commit with the saga's new state, in the order of the calls.
 */
public interface OutgoingMessages {

    /** The commands, in order, each to the participant that carries it out, keyed by the order. */
    Uni<Void> send(UnitOfWork work, UUID orderId, List<PlaceOrderCommand> commands, String causationId, Instant now);

    /** That {@code saga} reached its final state, {@code took} after it started. */
    Uni<Void> completed(UnitOfWork work, PlaceOrderSaga saga, Duration took, String causationId, Instant now);
}
