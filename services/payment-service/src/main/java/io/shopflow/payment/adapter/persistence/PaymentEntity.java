package io.shopflow.payment.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** Row of {@code payment}. */
@Entity
@Table(name = "payment")
class PaymentEntity {

    @Id
    @Column(name = "order_id")
    UUID orderId;

    @Column(name = "customer_id")
    String customerId;

    @Column(name = "amount_cents", nullable = false)
    long amountCents;

    @Column(nullable = false)
    String status;

    @Column(name = "authorization_id")
    String authorizationId;

    String detail;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;
}
