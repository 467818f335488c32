package io.shopflow.notification.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.notification.application.Cause;
import io.shopflow.notification.application.NotificationFeed;
import io.shopflow.notification.application.NotifyCustomer;
import io.shopflow.notification.domain.Outcome;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * OrderApproved and OrderRejected in, each a {@link NotifyCustomer} in the transaction that
 * records the message in the inbox; order events are consumed as the {@code notification-service}
 * group. What it notified goes to the live {@link NotificationFeed} once that transaction committed.
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.NOTIFICATION, topics = Topics.ORDER_EVENTS)
class OrderOutcomes implements MessageHandler {

    private final NotifyCustomer notifyCustomer;
    private final NotificationFeed feed;

    OrderOutcomes(NotifyCustomer notifyCustomer, NotificationFeed feed) {
        this.notifyCustomer = notifyCustomer;
        this.feed = feed;
    }

    /** Each transaction runs inside the feed, which publishes what it recorded once committed. */
    @Override
    public Uni<Void> aroundTransaction(Supplier<Uni<Void>> transaction) {
        return feed.publishingAfterCommit(transaction);
    }

    @Override
    public Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata) {
        UnitOfWork work = UnitOfWork.of(session);
        if (message instanceof OrderApproved approved) {
            return notify(work, approved.getOrderId(), approved.getCustomerId(), Outcome.APPROVED, null, metadata);
        }
        if (message instanceof OrderRejected rejected) {
            return notify(work, rejected.getOrderId(), rejected.getCustomerId(), Outcome.REJECTED,
                    rejected.getReason().name(), metadata);
        }
        // The order topic also carries OrderPlaced (and future types), which customers are not told about.
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> notify(UnitOfWork work, UUID orderId, String customerId, Outcome outcome, String reason,
                             MessageMetadata metadata) {
        Cause cause = new Cause(metadata.getCorrelationId(), metadata.getMessageId().toString());
        return notifyCustomer.notifyOutcome(work, orderId, customerId, outcome, reason, cause)
                .invoke(sent -> sent.ifPresent(feed::recorded))
                .replaceWithVoid();
    }
}
