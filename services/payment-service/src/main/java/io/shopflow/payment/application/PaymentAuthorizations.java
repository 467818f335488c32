package io.shopflow.payment.application;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopflow.payment.adapter.persistence.PaymentStore;
import io.shopflow.payment.adapter.provider.PaymentProvider;
import io.shopflow.payment.domain.Payment;
import io.shopflow.payment.domain.Payments;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Authorize and void, in the caller's transaction, with the order's payment row and the
 * customer's account row locked: at most one authorization per order, whatever is redelivered,
 * and credit never below zero.
 *
 * <p>The provider is called inside the transaction (bounded by its timeout and retries); if it
 * stays unavailable the payment is recorded UNAVAILABLE and declined as such.
 */
@ApplicationScoped
public class PaymentAuthorizations {

    private static final Logger LOG = Logger.getLogger(PaymentAuthorizations.class);

    private final PaymentStore store;
    private final PaymentProvider provider;
    private final Clock clock;
    private final MeterRegistry registry;

    PaymentAuthorizations(PaymentStore store, PaymentProvider provider, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.provider = provider;
        this.clock = clock;
        this.registry = registry;
    }

    public Uni<Payment> authorize(Mutiny.Session session, UUID orderId, String customerId, long amountCents) {
        return store.lockPayment(session, orderId).chain(existing -> store.lockAccount(session, customerId)
                .chain(account -> {
                    Payments.Check check = Payments.check(orderId, customerId, amountCents, account, existing);
                    if (check instanceof Payments.Check.Decided decided) {
                        return Uni.createFrom().item(decided.payment());
                    }
                    if (check instanceof Payments.Check.Declined declined) {
                        return save(session, declined.payment());
                    }
                    return timed("authorize", provider.authorize(orderId, customerId, amountCents))
                            .chain(authorizationId -> {
                                Payment authorized = Payments.authorized(orderId, customerId, amountCents,
                                        authorizationId, account);
                                return store.saveAccount(session, account).chain(() -> save(session, authorized));
                            })
                            .onFailure().recoverWithUni(failure -> {
                                LOG.warnf("Provider unavailable for order %s: %s", orderId, failure.toString());
                                return save(session, Payments.unavailable(orderId, customerId, amountCents,
                                        failure.getClass().getSimpleName() + ": " + failure.getMessage()));
                            });
                }));
    }

    /** Voids the order's authorization at the provider and restores the credit; a failure is retried by the consumer. */
    public Uni<Payment> voidPayment(Mutiny.Session session, UUID orderId) {
        return store.lockPayment(session, orderId).chain(existing -> {
            if (existing.isEmpty() || existing.get().status() != Payment.Status.AUTHORIZED) {
                Payment settled = Payments.voided(orderId, existing.map(Payment::customerId).orElse(null), null,
                        existing);
                return existing.isPresent() ? Uni.createFrom().item(settled) : save(session, settled);
            }
            Payment authorized = existing.get();
            return timed("void", provider.voidAuthorization(authorized.authorizationId()))
                    .chain(() -> store.lockAccount(session, authorized.customerId()))
                    .chain(account -> {
                        Payment voided = Payments.voided(orderId, authorized.customerId(), account, Optional.of(authorized));
                        return store.saveAccount(session, account).chain(() -> save(session, voided));
                    });
        });
    }

    /**
     * {@code shopflow_payment_provider_seconds{operation, outcome}}: the provider call as the
     * saga feels it, its timeout, retries and circuit breaker included.
     */
    private <T> Uni<T> timed(String operation, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return call.onTermination().invoke((item, failure, cancelled) -> Timer.builder("shopflow.payment.provider")
                    .tag("operation", operation).tag("outcome", failure == null ? "success" : "failure")
                    .description("Payment provider calls, retries and timeouts included").publishPercentileHistogram()
                    .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        });
    }

    private Uni<Payment> save(Mutiny.Session session, Payment payment) {
        return store.savePayment(session, payment, clock.instant()).replaceWith(payment);
    }
}
