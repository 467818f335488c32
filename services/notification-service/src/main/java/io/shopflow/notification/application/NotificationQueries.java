package io.shopflow.notification.application;

import io.shopflow.notification.domain.Notification;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Reads the notifications sent, outside any transaction. */
@ApplicationScoped
public class NotificationQueries {

    private final NotificationStore store;

    NotificationQueries(NotificationStore store) {
        this.store = store;
    }

    /** The order's notifications, oldest first. */
    public Uni<List<Notification>> ofOrder(UUID orderId) {
        return store.findByOrder(orderId);
    }
}
