package io.shopflow.inventory.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.inventory.ReleaseStock;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.inventory.application.Reservations;
import io.shopflow.inventory.domain.RequestedLine;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;

/**
 * ReserveStock and ReleaseStock in, as calls of {@link Reservations} in the consumer's transaction, their
 * replies out through the outbox ({@link OutboxReservationReplies}); consumed as the {@code inventory-service} group.
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.INVENTORY, topics = Topics.INVENTORY_COMMANDS)
class InventoryCommands implements MessageHandler {

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
        UnitOfWork work = UnitOfWork.of(session);
        OutboxReservationReplies replies = new OutboxReservationReplies(outbox, clock, metadata);
        if (message instanceof ReserveStock reserve) {
            return reservations.reserve(work, reserve.getOrderId(), reserve.getItems().stream()
                    .map(l -> new RequestedLine(l.getSku(), l.getQuantity())).toList(), replies).replaceWithVoid();
        }
        if (message instanceof ReleaseStock release) {
            return reservations.release(work, release.getOrderId(), replies).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }
}
