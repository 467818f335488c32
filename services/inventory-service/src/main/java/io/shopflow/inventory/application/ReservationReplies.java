package io.shopflow.inventory.application;

import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.ReservationOutcome;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;

import java.util.UUID;

/**
 * The outgoing messages (port): the answers to the saga's command being handled. The consumer
 * hands one per command, since an answer is caused by that command; it leaves in the unit of
 * work the use case passes, so that it commits with the state change it reports.
 */
public interface ReservationReplies {

    /** The answer to a ReserveStock: reserved, or refused. */
    Uni<Void> reservation(UnitOfWork work, UUID orderId, ReservationOutcome outcome);

    /** The answer to a ReleaseStock. */
    Uni<Void> released(UnitOfWork work, Reservation released);
}
