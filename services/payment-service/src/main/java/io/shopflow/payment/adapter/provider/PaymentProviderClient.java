package io.shopflow.payment.adapter.provider;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** The external payment provider's HTTP API (the simulator speaks it too). */
@Path("/authorizations")
@RegisterRestClient(configKey = "payment-provider")
interface PaymentProviderClient {

    /** Idempotent per order id: a repeat returns the first authorization. */
    @POST
    Uni<Authorization> authorize(AuthorizationRequest request);

    /** Idempotent. */
    @POST
    @Path("/{authorizationId}/void")
    Uni<Authorization> voidAuthorization(@PathParam("authorizationId") String authorizationId);

    record AuthorizationRequest(String orderId, String customerId, long amountCents) {
    }

    record Authorization(String authorizationId, String status) {
    }
}
