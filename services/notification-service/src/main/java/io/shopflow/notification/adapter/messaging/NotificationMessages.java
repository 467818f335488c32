package io.shopflow.notification.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderOutcome;
import io.shopflow.contracts.notification.CustomerNotified;
import io.shopflow.notification.application.Cause;
import io.shopflow.notification.application.NotificationEvents;
import io.shopflow.notification.domain.Notification;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * {@link NotificationEvents} as notification-service's Avro messages in the outbox, keyed by the
 * order id and in the saga of the message that caused them.
 */
@ApplicationScoped
class NotificationMessages implements NotificationEvents {

    static final String AGGREGATE_TYPE = "Notification";

    private final OutboxWriter outbox;
    private final Clock clock;

    NotificationMessages(OutboxWriter outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Uni<Void> customerNotified(UnitOfWork work, Notification n, Cause cause) {
        CustomerNotified event = CustomerNotified.newBuilder()
                .setMetadata(Metadata.newMessage(cause.correlationId(), cause.messageId(), clock.instant()))
                .setOrderId(n.orderId())
                .setCustomerId(n.customerId())
                .setOutcome(OrderOutcome.valueOf(n.outcome().name()))
                .setChannel(n.channel())
                .build();
        return outbox.append(work.session(),
                new OutboxMessage(AGGREGATE_TYPE, n.orderId().toString(), Topics.NOTIFICATION_EVENTS, event));
    }
}
