package io.shopflow.inventory.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.PricedLine;
import io.shopflow.contracts.inventory.StockReleased;
import io.shopflow.contracts.inventory.StockReservationFailed;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.inventory.application.ReservationReplies;
import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.ReservationOutcome;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import org.apache.avro.specific.SpecificRecord;

import java.time.Clock;
import java.util.UUID;

/** The replies to one command, as inventory events appended to the outbox, caused by that command. */
record OutboxReservationReplies(OutboxWriter outbox, Clock clock, MessageMetadata cause) implements ReservationReplies {

    private static final String AGGREGATE_TYPE = "Reservation";

    @Override
    public Uni<Void> reservation(UnitOfWork work, UUID orderId, ReservationOutcome outcome) {
        SpecificRecord event = switch (outcome) {
            case ReservationOutcome.Reserved reserved -> StockReserved.newBuilder().setMetadata(next())
                    .setOrderId(orderId)
                    .setLines(reserved.reservation().lines().stream()
                            .map(l -> new PricedLine(l.sku(), l.quantity(), l.unitPriceCents())).toList())
                    .setTotalCents(reserved.reservation().totalCents())
                    .build();
            case ReservationOutcome.Refused refused -> StockReservationFailed.newBuilder().setMetadata(next())
                    .setOrderId(orderId).setShortSkus(refused.shortSkus()).build();
        };
        return append(work, orderId, event);
    }

    @Override
    public Uni<Void> released(UnitOfWork work, Reservation released) {
        UUID orderId = released.orderId();
        return append(work, orderId, StockReleased.newBuilder().setMetadata(next()).setOrderId(orderId).build());
    }

    private MessageMetadata next() {
        return Metadata.causedBy(cause, clock.instant());
    }

    private Uni<Void> append(UnitOfWork work, UUID orderId, SpecificRecord event) {
        return outbox.append(work.session(),
                new OutboxMessage(AGGREGATE_TYPE, orderId.toString(), Topics.INVENTORY_EVENTS, event));
    }
}
