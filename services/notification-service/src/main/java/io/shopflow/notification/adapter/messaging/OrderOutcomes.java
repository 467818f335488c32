package io.shopflow.notification.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.OrderOutcome;
import io.shopflow.contracts.notification.CustomerNotified;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.notification.application.NotificationFeed;
import io.shopflow.notification.application.NotifyCustomer;
import io.shopflow.notification.domain.Notification;
import io.shopflow.notification.domain.Outcome;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * OrderApproved and OrderRejected in, CustomerNotified out through the outbox (same transaction);
 * order events are consumed as the {@code notification-service} group.
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.NOTIFICATION, topics = Topics.ORDER_EVENTS)
class OrderOutcomes implements MessageHandler {

    static final String AGGREGATE_TYPE = "Notification";

    private final NotifyCustomer notifyCustomer;
    private final NotificationFeed feed;
    private final OutboxWriter outbox;
    private final Clock clock;

    OrderOutcomes(NotifyCustomer notifyCustomer, NotificationFeed feed, OutboxWriter outbox, Clock clock) {
        this.notifyCustomer = notifyCustomer;
        this.feed = feed;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Each transaction runs inside the feed, which publishes what it recorded once committed. */
    @Override
    public Uni<Void> aroundTransaction(Supplier<Uni<Void>> transaction) {
        return feed.publishingAfterCommit(transaction);
    }

    @Override
    public Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata) {
        if (message instanceof OrderApproved approved) {
            return notify(session, approved.getOrderId(), approved.getCustomerId(), Outcome.APPROVED, null, metadata);
        }
        if (message instanceof OrderRejected rejected) {
            return notify(session, rejected.getOrderId(), rejected.getCustomerId(), Outcome.REJECTED,
                    rejected.getReason().name(), metadata);
        }
        // The order topic also carries OrderPlaced (and future types), which customers are not told about.
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> notify(Mutiny.Session session, UUID orderId, String customerId, Outcome outcome, String reason,
                             MessageMetadata cause) {
        return notifyCustomer.notifyOutcome(session, orderId, customerId, outcome, reason)
                .chain(sent -> sent.map(n -> outbox.append(session, customerNotified(n, cause)))
                        .orElseGet(() -> Uni.createFrom().voidItem()));
    }

    private OutboxMessage customerNotified(Notification n, MessageMetadata cause) {
        CustomerNotified event = CustomerNotified.newBuilder()
                .setMetadata(Metadata.causedBy(cause, clock.instant()))
                .setOrderId(n.orderId())
                .setCustomerId(n.customerId())
                .setOutcome(OrderOutcome.valueOf(n.outcome().name()))
                .setChannel(n.channel())
                .build();
        return new OutboxMessage(AGGREGATE_TYPE, n.orderId().toString(), Topics.NOTIFICATION_EVENTS, event);
    }
}
