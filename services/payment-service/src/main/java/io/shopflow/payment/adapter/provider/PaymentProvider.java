package io.shopflow.payment.adapter.provider;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Calls to the payment provider, guarded because it is slow, flaky or down at times:
 * a timeout so that a hung call cannot hold the consumer's transaction, retries with exponential
 * backoff for transient errors (its operations are idempotent), a circuit breaker so that an
 * outage fails fast instead of piling up, and a bulkhead that caps concurrent calls.
 */
@ApplicationScoped
class PaymentProvider {

    private static final Logger LOG = Logger.getLogger(PaymentProvider.class);

    private final PaymentProviderClient client;

    PaymentProvider(@RestClient PaymentProviderClient client) {
        this.client = client;
    }

    /** The provider's authorization id for the order. */
    // Timeout: the provider answers in well under a second when healthy.
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    // Retry: 503s and timeouts are transient; authorize is idempotent per order id.
    @Retry(maxRetries = 3, delay = 100, jitter = 50)
    @ExponentialBackoff(maxDelay = 1000)
    // Circuit breaker: open after half of 20 calls failed; probe again after 5 s.
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000)
    // Bulkhead: at most 16 calls in flight (and 32 waiting), so an outage cannot exhaust the service.
    @Bulkhead(value = 16, waitingTaskQueue = 32)
    Uni<String> authorize(UUID orderId, String customerId, long amountCents) {
        return client.authorize(new PaymentProviderClient.AuthorizationRequest(orderId.toString(), customerId,
                amountCents)).map(PaymentProviderClient.Authorization::authorizationId);
    }

    /**
     * Voids an authorization; idempotent. Same guards, for the same reasons. An authorization the
     * provider does not know (404: never made, or lost with the provider's state) holds nothing
     * there: the compensation is complete. Retrying it would fail forever, open the circuit
     * breaker and hold up every command behind it in the partition.
     */
    @Timeout(value = 2, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 100, jitter = 50)
    @ExponentialBackoff(maxDelay = 1000)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000)
    @Bulkhead(value = 16, waitingTaskQueue = 32)
    Uni<Void> voidAuthorization(String authorizationId) {
        return client.voidAuthorization(authorizationId).replaceWithVoid()
                .onFailure(PaymentProvider::unknownToProvider).recoverWithUni(failure -> {
                    LOG.warnf("Authorization %s unknown to the provider: nothing to void there", authorizationId);
                    return Uni.createFrom().voidItem();
                });
    }

    private static boolean unknownToProvider(Throwable failure) {
        return failure instanceof WebApplicationException e && e.getResponse().getStatus() == 404;
    }
}
