package io.shopflow.payment.application;

import io.smallrye.mutiny.Uni;

import java.util.UUID;

/**
 * The external payment provider (port). Both operations are idempotent; a failure means the
 * provider stayed unreachable or refused, after whatever guards the adapter puts around the call.
 */
public interface PaymentGateway {

    /** The provider's authorization id for the order; a repeat returns the first one. */
    Uni<String> authorize(UUID orderId, String customerId, long amountCents);

    /** Voids an authorization; one the provider does not know holds nothing there and counts as voided. */
    Uni<Void> voidAuthorization(String authorizationId);
}
