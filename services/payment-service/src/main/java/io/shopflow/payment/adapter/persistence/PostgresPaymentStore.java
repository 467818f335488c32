package io.shopflow.payment.adapter.persistence;

import io.shopflow.outbox.KeyLocks;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.payment.application.PaymentStore;
import io.shopflow.payment.domain.CreditAccount;
import io.shopflow.payment.domain.Payment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Credit accounts and payments in PostgreSQL, within the session and transaction of the caller's unit of work. */
@ApplicationScoped
class PostgresPaymentStore implements PaymentStore {

    @Override
    public Uni<CreditAccount> lockAccount(UnitOfWork work, String customerId) {
        Mutiny.Session session = work.session();
        return session.createNativeQuery("INSERT INTO credit_account (customer_id, credit_limit_cents, "
                        + "available_cents, version) VALUES (?1, ?2, ?2, 0) ON CONFLICT DO NOTHING")
                .setParameter(1, customerId).setParameter(2, CreditAccount.DEFAULT_LIMIT_CENTS)
                .executeUpdate()
                .chain(() -> session.find(CreditAccountEntity.class, customerId, LockMode.PESSIMISTIC_WRITE))
                .map(PostgresPaymentStore::toDomain);
    }

    @Override
    public Uni<Optional<CreditAccount>> findAccount(UnitOfWork work, String customerId) {
        return work.session().find(CreditAccountEntity.class, customerId)
                .map(e -> Optional.ofNullable(e).map(PostgresPaymentStore::toDomain));
    }

    @Override
    public Uni<Void> saveAccount(UnitOfWork work, CreditAccount account) {
        return work.session().find(CreditAccountEntity.class, account.customerId()).invoke(e -> {
            e.creditLimitCents = account.creditLimitCents();
            e.availableCents = account.availableCents();
        }).replaceWithVoid();
    }

    /**
     * The order's key lock first: the row lock alone locks nothing while the order has no payment, and two
     * AuthorizePayment messages of one order (a retried one and the saga's resend) would both find none and
     * hold the credit twice.
     */
    @Override
    public Uni<Optional<Payment>> lockPayment(UnitOfWork work, UUID orderId) {
        return KeyLocks.lockAndFind(work.session(), PaymentEntity.class, orderId)
                .map(e -> Optional.ofNullable(e).map(p -> new Payment(p.orderId, p.customerId, p.amountCents,
                        Payment.Status.valueOf(p.status), p.authorizationId, p.detail)));
    }

    @Override
    public Uni<Void> savePayment(UnitOfWork work, Payment payment, Instant now) {
        Mutiny.Session session = work.session();
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

    private static CreditAccount toDomain(CreditAccountEntity e) {
        return new CreditAccount(e.customerId, e.creditLimitCents, e.availableCents);
    }
}
