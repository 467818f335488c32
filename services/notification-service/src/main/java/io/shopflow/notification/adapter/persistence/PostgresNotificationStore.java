package io.shopflow.notification.adapter.persistence;

import io.shopflow.notification.application.NotificationStore;
import io.shopflow.notification.domain.Notification;
import io.shopflow.notification.domain.Outcome;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.UUID;

/**
 * {@link NotificationStore} in PostgreSQL: within the session and transaction of the caller's unit
 * of work, or, for the reads of the API, in a session of its own without a transaction.
 */
@ApplicationScoped
class PostgresNotificationStore implements NotificationStore {

    /*
     * ON CONFLICT instead of persist-and-catch: a unique violation would abort the whole
     * transaction (inbox row included). A concurrent insert of the same (order_id, outcome)
     * makes this one wait for the other transaction and then skip, or insert if it rolled back.
     */
    private static final String INSERT = "INSERT INTO notification (id, order_id, customer_id, outcome, reason, "
            + "channel, recipient, subject, body, sent_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
            + "ON CONFLICT (order_id, outcome) DO NOTHING";

    private final Mutiny.SessionFactory sessions;

    PostgresNotificationStore(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    @Override
    public Uni<Boolean> insertIfAbsent(UnitOfWork work, Notification n) {
        return work.session().createNativeQuery(INSERT)
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

    @Override
    public Uni<List<Notification>> findByOrder(UUID orderId) {
        return sessions.withSession(session -> session
                .createSelectionQuery("FROM NotificationEntity n WHERE n.orderId = :orderId ORDER BY n.sentAt",
                        NotificationEntity.class)
                .setParameter("orderId", orderId)
                .getResultList())
                .map(rows -> rows.stream().map(PostgresNotificationStore::toDomain).toList());
    }

    private static Notification toDomain(NotificationEntity e) {
        return new Notification(e.id, e.orderId, e.customerId, Outcome.valueOf(e.outcome), e.reason, e.channel,
                e.recipient, e.subject, e.body, e.sentAt);
    }
}
