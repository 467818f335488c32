package io.shopflow.payment.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** Row of {@code credit_account}. */
@Entity
@Table(name = "credit_account")
class CreditAccountEntity {

    @Id
    @Column(name = "customer_id")
    String customerId;

    @Column(name = "credit_limit_cents", nullable = false)
    long creditLimitCents;

    @Column(name = "available_cents", nullable = false)
    long availableCents;

    @Version
    long version;
}
