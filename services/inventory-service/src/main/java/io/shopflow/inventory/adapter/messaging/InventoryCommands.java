package io.shopflow.inventory.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.PricedLine;
import io.shopflow.contracts.inventory.ReleaseStock;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.contracts.inventory.StockReleased;
import io.shopflow.contracts.inventory.StockReservationFailed;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.inventory.application.Reservations;
import io.shopflow.inventory.domain.RequestedLine;
import io.shopflow.inventory.domain.ReservationOutcome;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.util.UUID;

/**
 * ReserveStock and ReleaseStock in, their replies out through the outbox (same transaction); consumed
 * as the {@code inventory-service} group.
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.INVENTORY, topics = Topics.INVENTORY_COMMANDS)
class InventoryCommands implements MessageHandler {

    static final String AGGREGATE_TYPE = "Reservation";

    private final Reservations reservations;
    private final OutboxWriter outbox;
    private final Clock clock;

    InventoryCommands(Reservations reservations, OutboxWriter outbox, Clock clock) {
        this.reservations = reservations;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata) {
        if (message instanceof ReserveStock reserve) {
            UUID orderId = reserve.getOrderId();
            return reservations.reserve(session, orderId, reserve.getItems().stream()
                            .map(l -> new RequestedLine(l.getSku(), l.getQuantity())).toList())
                    .chain(outcome -> outbox.append(session, reply(orderId, outcome, metadata)));
        }
        if (message instanceof ReleaseStock release) {
            UUID orderId = release.getOrderId();
            return reservations.release(session, orderId).chain(released -> outbox.append(session,
                    event(orderId, StockReleased.newBuilder().setMetadata(next(metadata)).setOrderId(orderId)
                            .build())));
        }
        return Uni.createFrom().voidItem();
    }

    private OutboxMessage reply(UUID orderId, ReservationOutcome outcome, MessageMetadata cause) {
        if (outcome instanceof ReservationOutcome.Reserved reserved) {
            return event(orderId, StockReserved.newBuilder().setMetadata(next(cause)).setOrderId(orderId)
                    .setLines(reserved.reservation().lines().stream()
                            .map(l -> new PricedLine(l.sku(), l.quantity(), l.unitPriceCents())).toList())
                    .setTotalCents(reserved.reservation().totalCents())
                    .build());
        }
        ReservationOutcome.Refused refused = (ReservationOutcome.Refused) outcome;
        return event(orderId, StockReservationFailed.newBuilder().setMetadata(next(cause)).setOrderId(orderId)
                .setShortSkus(refused.shortSkus()).build());
    }

    private MessageMetadata next(MessageMetadata cause) {
        return Metadata.causedBy(cause, clock.instant());
    }

    private static OutboxMessage event(UUID orderId, SpecificRecord event) {
        return new OutboxMessage(AGGREGATE_TYPE, orderId.toString(), Topics.INVENTORY_EVENTS, event);
    }
}
