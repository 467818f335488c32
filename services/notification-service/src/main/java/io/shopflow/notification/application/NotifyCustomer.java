package io.shopflow.notification.application;

import io.shopflow.notification.adapter.mail.EmailSender;
import io.shopflow.notification.adapter.persistence.NotificationStore;
import io.shopflow.notification.domain.Notification;
import io.shopflow.notification.domain.Notifications;
import io.shopflow.notification.domain.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Notifies a customer of an order outcome, in the caller's transaction, at most once per order
 * and outcome: the row is inserted first (the unique key decides whether this is the first
 * time), then the email is sent. A failed send fails the transaction, so there is never a row
 * without an email accepted by the SMTP server, and the message is retried.
 *
 * <p>At least once for the email itself: when the commit fails after the SMTP server accepted
 * it (database down, process killed), the row rolls back, the message is redelivered and the
 * email is sent again. Sending after the commit would trade that duplicate for a lost email.
 */
@ApplicationScoped
public class NotifyCustomer {

    private final NotificationStore store;
    private final EmailSender email;
    private final NotificationFeed feed;
    private final Clock clock;
    private final String recipientDomain;

    NotifyCustomer(NotificationStore store, EmailSender email, NotificationFeed feed, Clock clock,
                   @ConfigProperty(name = "shopflow.notifications.recipient-domain") String recipientDomain) {
        this.store = store;
        this.email = email;
        this.feed = feed;
        this.clock = clock;
        this.recipientDomain = recipientDomain;
    }

    /**
     * @param reason the rejection reason (e.g. {@code OUT_OF_STOCK}), null for an approval
     * @return the notification sent, or empty when this outcome of this order was notified before
     */
    public Uni<Optional<Notification>> notifyOutcome(Mutiny.Session session, UUID orderId, String customerId,
                                                      Outcome outcome, String reason) {
        Notification notification = Notifications.compose(orderId, customerId, outcome, reason, recipientDomain,
                clock.instant());
        return store.insertIfAbsent(session, notification).chain(first -> {
            if (!first) {
                return Uni.createFrom().item(Optional.<Notification>empty());
            }
            return email.send(notification)
                    .invoke(() -> feed.recorded(notification))
                    .replaceWith(Optional.of(notification));
        });
    }
}
