package io.shopflow.payment.adapter.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopflow.payment.application.PaymentGateway;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The payment gateway of the use cases: the guarded calls of {@link PaymentProvider}, timed as
 * {@code shopflow_payment_provider_seconds{operation, outcome}}, the provider call as the saga
 * feels it, its timeout, retries and circuit breaker included (so the timer sits outside the guards).
 */
@ApplicationScoped
class PaymentProviderGateway implements PaymentGateway {

    private final PaymentProvider provider;
    private final MeterRegistry registry;

    PaymentProviderGateway(PaymentProvider provider, MeterRegistry registry) {
        this.provider = provider;
        this.registry = registry;
    }

    @Override
    public Uni<String> authorize(UUID orderId, String customerId, long amountCents) {
        return timed("authorize", provider.authorize(orderId, customerId, amountCents));
    }

    @Override
    public Uni<Void> voidAuthorization(String authorizationId) {
        return timed("void", provider.voidAuthorization(authorizationId));
    }

    private <T> Uni<T> timed(String operation, Uni<T> call) {
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return call.onTermination().invoke((item, failure, cancelled) -> Timer.builder("shopflow.payment.provider")
                    .tag("operation", operation).tag("outcome", failure == null ? "success" : "failure")
                    .description("Payment provider calls, retries and timeouts included").publishPercentileHistogram()
                    .register(registry).record(System.nanoTime() - started, TimeUnit.NANOSECONDS));
        });
    }
}
