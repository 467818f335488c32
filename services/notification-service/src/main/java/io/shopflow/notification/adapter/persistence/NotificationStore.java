package io.shopflow.notification.adapter.persistence;

import io.shopflow.notification.domain.Notification;
import io.shopflow.notification.domain.Outcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.UUID;

/** Notifications in PostgreSQL, within the caller's session and transaction. */
@ApplicationScoped
public class NotificationStore {

    /*
     * ON CONFLICT instead of persist-and-catch: a unique violation would abort the whole
     * transaction (inbox row included). A concurrent insert of the same (order_id, outcome)
     * makes this one wait for the other transaction and then skip, or insert if it rolled back.
     */
    private static final String INSERT = "INSERT INTO notification (id, order_id, customer_id, outcome, reason, "
            + "channel, recipient, subject, body, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
            + "ON CONFLICT (order_id, outcome) DO NOTHING";

    /** @return true when inserted, false when this outcome of this order has a notification already */
    public Uni<Boolean> insertIfAbsent(Mutiny.Session session, Notification n) {
        return session.createNativeQuery(INSERT)
                .setParameter(1, n.id())
                .setParameter(2, n.orderId())
                .setParameter(3, n.customerId())
                .setParameter(4, n.outcome().name())
                .setParameter(5, n.reason())
                .setParameter(6, n.channel())
                .setParameter(7, n.recipient())
                .setParameter(8, n.subject())
                .setParameter(9, n.body())
                .setParameter(10, n.sentAt())
                .executeUpdate()
                .map(inserted -> inserted == 1);
    }

    /** The order's notifications, oldest first. */
    public Uni<List<Notification>> findByOrder(Mutiny.Session session, UUID orderId) {
        return session.createSelectionQuery("FROM NotificationEntity n WHERE n.orderId = :orderId ORDER BY n.sentAt",
                        NotificationEntity.class)
                .setParameter("orderId", orderId)
                .getResultList()
                .map(rows -> rows.stream().map(NotificationStore::toDomain).toList());
    }

    private static Notification toDomain(NotificationEntity e) {
        return new Notification(e.id, e.orderId, e.customerId, Outcome.valueOf(e.outcome), e.reason, e.channel,
                e.recipient, e.subject, e.body, e.sentAt);
    }
}
