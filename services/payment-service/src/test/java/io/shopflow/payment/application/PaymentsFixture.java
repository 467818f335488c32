package io.shopflow.payment.application;

import io.shopflow.outbox.UnitOfWork;
import io.shopflow.outbox.UnitsOfWork;
import io.shopflow.payment.domain.CreditAccount;
import io.shopflow.payment.domain.Payment;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** In-memory ports of the payment use cases (ADR 15): they run without Quarkus, a database or a provider. */
final class PaymentsFixture {

    /** A transaction that in-memory ports never open. */
    static final UnitOfWork WORK = () -> {
        throw new AssertionError("the use case opened the unit of work it should only pass on");
    };

    /** Units of work that all are {@link #WORK}. */
    static final UnitsOfWork UNITS = new UnitsOfWork() {
        @Override
        public <T> Uni<T> inTransaction(Function<UnitOfWork, Uni<T>> work) {
            return work.apply(WORK);
        }
    };

    private PaymentsFixture() {
    }

    static <T> T await(Uni<T> uni) {
        return uni.await().indefinitely();
    }

    /** The store port over maps; it hands out copies, so that only what is saved counts. */
    static final class Store implements PaymentStore {

        final Map<String, CreditAccount> accounts = new HashMap<>();
        final Map<UUID, Payment> payments = new HashMap<>();
        /** When set, the next {@link #savePayment} fails with it, as a database that went away does. */
        RuntimeException failNextPaymentSave;

        @Override
        public Uni<CreditAccount> lockAccount(UnitOfWork work, String customerId) {
            accounts.putIfAbsent(customerId, CreditAccount.opened(customerId));
            return Uni.createFrom().item(copy(accounts.get(customerId)));
        }

        @Override
        public Uni<Optional<CreditAccount>> findAccount(UnitOfWork work, String customerId) {
            return Uni.createFrom().item(Optional.ofNullable(accounts.get(customerId)).map(Store::copy));
        }

        @Override
        public Uni<Void> saveAccount(UnitOfWork work, CreditAccount account) {
            accounts.put(account.customerId(), copy(account));
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Optional<Payment>> lockPayment(UnitOfWork work, UUID orderId) {
            return Uni.createFrom().item(Optional.ofNullable(payments.get(orderId)));
        }

        @Override
        public Uni<Void> savePayment(UnitOfWork work, Payment payment, Instant now) {
            if (failNextPaymentSave != null) {
                RuntimeException failure = failNextPaymentSave;
                failNextPaymentSave = null;
                return Uni.createFrom().failure(failure);
            }
            payments.put(payment.orderId(), payment);
            return Uni.createFrom().voidItem();
        }

        private static CreditAccount copy(CreditAccount account) {
            return new CreditAccount(account.customerId(), account.creditLimitCents(), account.availableCents());
        }
    }

    /** The provider port, answering with an authorization id per order, or failing while {@link #down}. */
    static final class Provider implements PaymentGateway {

        final List<String> calls = new ArrayList<>();
        boolean down;

        @Override
        public Uni<String> authorize(UUID orderId, String customerId, long amountCents) {
            calls.add("authorize " + orderId);
            return down ? unreachable() : Uni.createFrom().item("auth-" + orderId);
        }

        @Override
        public Uni<Void> voidAuthorization(String authorizationId) {
            calls.add("void " + authorizationId);
            return down ? unreachable() : Uni.createFrom().voidItem();
        }

        private static <T> Uni<T> unreachable() {
            return Uni.createFrom().failure(new IllegalStateException("provider unreachable"));
        }
    }

    /** The outgoing messages port, as the payments it answered with. */
    static final class Replies implements PaymentReplies {

        final List<Payment> decided = new ArrayList<>();
        final List<Payment> voided = new ArrayList<>();

        @Override
        public Uni<Void> decided(UnitOfWork work, Payment payment) {
            decided.add(payment);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> voided(UnitOfWork work, Payment payment) {
            voided.add(payment);
            return Uni.createFrom().voidItem();
        }
    }
}
