package io.shopflow.notification.application;

import io.shopflow.notification.domain.Notification;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;

import java.util.List;
import java.util.UUID;

/**
 * Port: the notifications sent, at most one per order and outcome: recorded in the caller's unit of
 * work, read by the API outside any transaction.
 */
public interface NotificationStore {

    /**
     * Records {@code notification} unless its order's outcome has one already; a concurrent insert
     * of the same outcome waits for the other unit of work, then skips (or inserts if it rolled back).
     *
     * @return true when recorded, false when this outcome of this order has a notification already
     */
    Uni<Boolean> insertIfAbsent(UnitOfWork work, Notification notification);

    /** The order's notifications, oldest first, read outside any transaction. */
    Uni<List<Notification>> findByOrder(UUID orderId);
}
