package io.shopflow.payment.application;

import io.shopflow.outbox.UnitOfWork;
import io.shopflow.payment.domain.Payment;
import io.shopflow.payment.domain.Payments;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Authorize and void, in the caller's unit of work, with the order's payment row and the
 * customer's account row locked: at most one authorization per order, whatever is redelivered,
 * and credit never below zero. The answer goes out through {@code replies} in the same unit of work.
 *
 * <p>The provider is called inside the transaction (bounded by its timeout and retries); if it
 * stays unavailable the payment is recorded UNAVAILABLE and declined as such.
 */
@ApplicationScoped
public class PaymentAuthorizations {

    private static final Logger LOG = Logger.getLogger(PaymentAuthorizations.class);

    private final PaymentStore store;
    private final PaymentGateway provider;
    private final Clock clock;

    PaymentAuthorizations(PaymentStore store, PaymentGateway provider, Clock clock) {
        this.store = store;
        this.provider = provider;
        this.clock = clock;
    }

    public Uni<Payment> authorize(UnitOfWork work, UUID orderId, String customerId, long amountCents,
                                  PaymentReplies replies) {
        return store.lockPayment(work, orderId).chain(existing -> store.lockAccount(work, customerId)
                .chain(account -> {
                    Payments.Check check = Payments.check(orderId, customerId, amountCents, account, existing);
                    if (check instanceof Payments.Check.Decided decided) {
                        return Uni.createFrom().item(decided.payment());
                    }
                    if (check instanceof Payments.Check.Declined declined) {
                        return save(work, declined.payment());
                    }
                    // Only the provider's failure is an unavailable provider: a failure to write what it
                    // answered fails the unit of work, which the consumer rolls back and retries.
                    return provider.authorize(orderId, customerId, amountCents)
                            .onItemOrFailure().transform((authorizationId, failure) -> failure == null
                                    ? Payments.authorized(orderId, customerId, amountCents, authorizationId, account)
                                    : unavailable(orderId, customerId, amountCents, failure))
                            .chain(payment -> payment.status() == Payment.Status.AUTHORIZED
                                    ? store.saveAccount(work, account).chain(() -> save(work, payment))
                                    : save(work, payment));
                }))
                .call(payment -> replies.decided(work, payment));
    }

    /** Voids the order's authorization at the provider and restores the credit; a failure is retried by the consumer. */
    public Uni<Payment> voidPayment(UnitOfWork work, UUID orderId, PaymentReplies replies) {
        return store.lockPayment(work, orderId).chain(existing -> {
            if (existing.isEmpty() || existing.get().status() != Payment.Status.AUTHORIZED) {
                Payment settled = Payments.voided(orderId, existing.map(Payment::customerId).orElse(null), null,
                        existing);
                return existing.isPresent() ? Uni.createFrom().item(settled) : save(work, settled);
            }
            Payment authorized = existing.get();
            return provider.voidAuthorization(authorized.authorizationId())
                    .chain(() -> store.lockAccount(work, authorized.customerId()))
                    .chain(account -> {
                        Payment voided = Payments.voided(orderId, authorized.customerId(), account, Optional.of(authorized));
                        return store.saveAccount(work, account).chain(() -> save(work, voided));
                    });
        }).call(voided -> replies.voided(work, voided));
    }

    private static Payment unavailable(UUID orderId, String customerId, long amountCents, Throwable failure) {
        LOG.warnf("Provider unavailable for order %s: %s", orderId, failure.toString());
        return Payments.unavailable(orderId, customerId, amountCents,
                failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }

    private Uni<Payment> save(UnitOfWork work, Payment payment) {
        return store.savePayment(work, payment, clock.instant()).replaceWith(payment);
    }
}
