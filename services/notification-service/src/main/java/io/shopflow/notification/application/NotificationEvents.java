package io.shopflow.notification.application;

import io.shopflow.notification.domain.Notification;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;

/**
 * Port: the messages notification-service sends, appended to the outbox in the caller's unit of
 * work, so that they commit, or roll back, with the notification they announce.
 */
public interface NotificationEvents {

    /** {@code CustomerNotified}: the customer was told of {@code notification}'s outcome, caused by {@code cause}. */
    Uni<Void> customerNotified(UnitOfWork work, Notification notification, Cause cause);
}
