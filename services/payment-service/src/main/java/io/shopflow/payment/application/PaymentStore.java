package io.shopflow.payment.application;

import io.shopflow.outbox.UnitOfWork;
import io.shopflow.payment.domain.CreditAccount;
import io.shopflow.payment.domain.Payment;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The store of credit accounts and payments (port): every call reads or writes in the unit of work it is handed. */
public interface PaymentStore {

    /** The customer's account, row-locked; opened with the default limit on first use. */
    Uni<CreditAccount> lockAccount(UnitOfWork work, String customerId);

    /** The account as stored, or empty for a customer who never had one. */
    Uni<Optional<CreditAccount>> findAccount(UnitOfWork work, String customerId);

    /** Writes back an account loaded with {@link #lockAccount} in this unit of work. */
    Uni<Void> saveAccount(UnitOfWork work, CreditAccount account);

    /**
     * The order's payment, if it has one; until the unit of work ends, no other unit of work gets past this
     * call for the same order, also while the order has no payment yet.
     */
    Uni<Optional<Payment>> lockPayment(UnitOfWork work, UUID orderId);

    /** Inserts or updates the order's payment. */
    Uni<Void> savePayment(UnitOfWork work, Payment payment, Instant now);
}
