package io.shopflow.order.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.RejectOrder;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.PermanentFailure;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.order.application.SettleOrder;
import io.shopflow.order.domain.RejectionReason;
import io.shopflow.order.domain.Transition;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.Optional;
import java.util.UUID;

/**
 * ApproveOrder and RejectOrder in, OrderApproved / OrderRejected out through the outbox, in the
 * transaction that records the command in the inbox. Consumed as the {@code order-service} group
 * (retries on {@code shopflow.order-service.retry}, dead letters on {@code shopflow.order-service.dlq}).
 *
 * <p>A command no retry can fix fails with {@link PermanentFailure}, so it is dead-lettered at
 * once (and its inbox entry rolls back, so a replay is processed): an unknown order (the saga
 * only starts from a committed order, so it will not appear later), a negative total, or a
 * rejection reason this service does not know (Avro's {@code UNKNOWN}, from a newer contract;
 * storing it would lose the real reason, while the dead letter keeps it for a replay once this
 * service knows it).
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.ORDER, topics = Topics.ORDER_COMMANDS)
class OrderCommands implements MessageHandler {

    private final SettleOrder settle;

    OrderCommands(SettleOrder settle) {
        this.settle = settle;
    }

    @Override
    public Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata) {
        UnitOfWork work = UnitOfWork.of(session);
        String causation = metadata.getMessageId().toString();
        if (message instanceof ApproveOrder approve) {
            UUID orderId = approve.getOrderId();
            if (approve.getTotalCents() < 0) {
                return Uni.createFrom().failure(new PermanentFailure(
                        "ApproveOrder for order " + orderId + " has a negative total " + approve.getTotalCents(), null));
            }
            return settle.approve(work, orderId, approve.getTotalCents(), causation)
                    .chain(done -> requireOrder(done, "ApproveOrder", orderId));
        }
        if (message instanceof RejectOrder reject) {
            UUID orderId = reject.getOrderId();
            Optional<RejectionReason> reason = toDomain(reject.getReason());
            if (reason.isEmpty()) {
                return Uni.createFrom().failure(new PermanentFailure(
                        "RejectOrder for order " + orderId + " has a reason this service does not know: "
                                + reject.getReason(), null));
            }
            return settle.reject(work, orderId, reason.get(), causation)
                    .chain(done -> requireOrder(done, "RejectOrder", orderId));
        }
        // Nothing else is sent to the order commands topic; a stray message has no effect here.
        return Uni.createFrom().voidItem();
    }

    private static Uni<Void> requireOrder(Optional<Transition> done, String command, UUID orderId) {
        return done.isPresent() ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(new PermanentFailure(command + " for unknown order " + orderId, null));
    }

    private static Optional<RejectionReason> toDomain(io.shopflow.contracts.common.RejectionReason reason) {
        return switch (reason) {
            case OUT_OF_STOCK -> Optional.of(RejectionReason.OUT_OF_STOCK);
            case PAYMENT_DECLINED -> Optional.of(RejectionReason.PAYMENT_DECLINED);
            case PAYMENT_UNAVAILABLE -> Optional.of(RejectionReason.PAYMENT_UNAVAILABLE);
            case TIMEOUT -> Optional.of(RejectionReason.TIMEOUT);
            case ABORTED -> Optional.of(RejectionReason.ABORTED);
            case UNKNOWN -> Optional.empty();
        };
    }
}
