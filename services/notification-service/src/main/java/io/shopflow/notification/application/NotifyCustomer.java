package io.shopflow.notification.application;

import io.shopflow.notification.domain.Notification;
import io.shopflow.notification.domain.Notifications;
import io.shopflow.notification.domain.Outcome;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Notifies a customer of an order outcome, in the caller's unit of work, at most once per order
 * and outcome: the notification is recorded first (the store decides whether this is the first
 * time), then the email is sent, then {@code CustomerNotified}. A failed send fails the unit of
 * work, so there is never a record without an email accepted by the mail server, and the message
 * is retried.
 *
 * <p>At least once for the email itself: when the commit fails after the mail server accepted
 * it (database down, process killed), the record rolls back, the message is redelivered and the
 * email is sent again. Sending after the commit would trade that duplicate for a lost email.
 */
@ApplicationScoped
public class NotifyCustomer {

    private final NotificationStore store;
    private final Mailer mailer;
    private final NotificationEvents events;
    private final Clock clock;
    private final String recipientDomain;

    NotifyCustomer(NotificationStore store, Mailer mailer, NotificationEvents events, Clock clock,
                   @ConfigProperty(name = "shopflow.notifications.recipient-domain") String recipientDomain) {
        this.store = store;
        this.mailer = mailer;
        this.events = events;
        this.clock = clock;
        this.recipientDomain = recipientDomain;
    }

    /**
     * @param reason the rejection reason (e.g. {@code OUT_OF_STOCK}), null for an approval
     * @param cause  the message that told of the outcome
     * @return the notification sent, or empty when this outcome of this order was notified before
     */
    public Uni<Optional<Notification>> notifyOutcome(UnitOfWork work, UUID orderId, String customerId,
                                                      Outcome outcome, String reason, Cause cause) {
        Notification notification = Notifications.compose(orderId, customerId, outcome, reason, recipientDomain,
                clock.instant());
        return store.insertIfAbsent(work, notification).chain(first -> {
            if (!first) {
                return Uni.createFrom().item(Optional.<Notification>empty());
            }
            return mailer.send(notification)
                    .chain(() -> events.customerNotified(work, notification, cause))
                    .replaceWith(Optional.of(notification));
        });
    }
}
