package io.shopflow.payment.adapter.persistence;

import io.shopflow.payment.domain.CreditAccount;
import io.shopflow.payment.domain.Payment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Credit accounts and payments in PostgreSQL, within the caller's session and transaction. */
@ApplicationScoped
public class PaymentStore {

    /** The customer's account, row-locked; opened with the default limit on first use. */
    public Uni<CreditAccount> lockAccount(Mutiny.Session session, String customerId) {
        return session.createNativeQuery("INSERT INTO credit_account (customer_id, credit_limit_cents, "
                        + "available_cents, version) VALUES (?1, ?2, ?2, 0) ON CONFLICT DO NOTHING")
                .setParameter(1, customerId).setParameter(2, CreditAccount.DEFAULT_LIMIT_CENTS)
                .executeUpdate()
                .chain(() -> session.find(CreditAccountEntity.class, customerId, LockMode.PESSIMISTIC_WRITE))
                .map(e -> new CreditAccount(e.customerId, e.creditLimitCents, e.availableCents));
    }

    /** The account as stored, or empty for a customer who never had one. */
    public Uni<Optional<CreditAccount>> findAccount(Mutiny.Session session, String customerId) {
        return session.find(CreditAccountEntity.class, customerId)
                .map(e -> Optional.ofNullable(e).map(a -> new CreditAccount(a.customerId, a.creditLimitCents,
                        a.availableCents)));
    }

    /** Writes back an account loaded with {@link #lockAccount} in this session. */
    public Uni<Void> saveAccount(Mutiny.Session session, CreditAccount account) {
        return session.find(CreditAccountEntity.class, account.customerId()).invoke(e -> {
            e.creditLimitCents = account.creditLimitCents();
            e.availableCents = account.availableCents();
        }).replaceWithVoid();
    }

    /** The order's payment, row-locked. */
    public Uni<Optional<Payment>> lockPayment(Mutiny.Session session, UUID orderId) {
        return session.find(PaymentEntity.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .map(e -> Optional.ofNullable(e).map(p -> new Payment(p.orderId, p.customerId, p.amountCents,
                        Payment.Status.valueOf(p.status), p.authorizationId, p.detail)));
    }

    /** Inserts or updates the order's payment. */
    public Uni<Void> savePayment(Mutiny.Session session, Payment payment, Instant now) {
        return session.find(PaymentEntity.class, payment.orderId()).chain(e -> {
            PaymentEntity row = e == null ? new PaymentEntity() : e;
            row.orderId = payment.orderId();
            row.customerId = payment.customerId();
            row.amountCents = payment.amountCents();
            row.status = payment.status().name();
            row.authorizationId = payment.authorizationId();
            row.detail = payment.detail() == null ? null
                    : payment.detail().substring(0, Math.min(512, payment.detail().length()));
            row.updatedAt = now;
            return e == null ? session.persist(row) : Uni.createFrom().voidItem();
        });
    }
}
