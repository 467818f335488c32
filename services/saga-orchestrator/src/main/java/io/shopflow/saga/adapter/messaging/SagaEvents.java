package io.shopflow.saga.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.saga.application.SagaCoordinator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.UUID;

/**
 * What the orchestrator does with each message it consumes: start a saga, or feed it a reply.
 * Order, inventory and payment events are consumed as the {@code saga-orchestrator} group;
 * instances share partitions (keyed by order id), so each order's messages go to one instance.
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.SAGA,
        topics = {Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS})
class SagaEvents implements MessageHandler {

    private final SagaCoordinator coordinator;

    SagaEvents(SagaCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata) {
        String causation = metadata.getMessageId().toString();
        UnitOfWork work = UnitOfWork.of(session);
        if (message instanceof OrderPlaced placed) {
            return coordinator.start(work, placed.getOrderId(), placed.getCustomerId(), SagaMessages.lines(placed),
                    causation);
        }
        UUID orderId = (UUID) message.get(message.getSchema().getField("orderId").pos());
        return SagaMessages.toInput(message)
                .map(input -> coordinator.react(work, orderId, input, causation).replaceWithVoid())
                .orElseGet(() -> Uni.createFrom().voidItem());
    }
}
