package io.shopflow.notification.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Row of {@code notification}, for reading; rows are inserted by {@link PostgresNotificationStore#insertIfAbsent}. */
@Entity
@Table(name = "notification")
class NotificationEntity {

    @Id
    UUID id;

    @Column(name = "order_id", nullable = false)
    UUID orderId;

    @Column(name = "customer_id", nullable = false)
    String customerId;

    @Column(nullable = false)
    String outcome;

    String reason;

    @Column(nullable = false)
    String channel;

    @Column(nullable = false)
    String recipient;

    @Column(nullable = false)
    String subject;

    @Column(nullable = false)
    String body;

    @Column(name = "sent_at", nullable = false)
    Instant sentAt;
}
