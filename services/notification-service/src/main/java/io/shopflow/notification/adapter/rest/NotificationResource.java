package io.shopflow.notification.adapter.rest;

import io.shopflow.notification.application.NotificationFeed;
import io.shopflow.notification.application.NotificationQueries;
import io.shopflow.notification.domain.Notification;
import io.shopflow.notification.domain.Outcome;
import io.quarkus.security.identity.SecurityIdentity;
import io.shopflow.web.Caller;
import io.shopflow.web.Problems;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;

/** What customers were told: per order, and live as it happens; customers (their own) and operators. */
@Path("/notifications")
@RolesAllowed({Caller.CUSTOMER, Caller.OPS})
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    /* Checked here: JAX-RS would answer a malformed UUID query parameter with 404, not 400. */
    private static final Pattern UUID_FORMAT =
            Pattern.compile("\\p{XDigit}{8}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{4}-\\p{XDigit}{12}");

    private final NotificationQueries queries;
    private final NotificationFeed feed;
    private final SecurityIdentity caller;

    NotificationResource(NotificationQueries queries, NotificationFeed feed, SecurityIdentity caller) {
        this.queries = queries;
        this.feed = feed;
        this.caller = caller;
    }

    /** A notification as the API shows it (the email body stays in the mailbox). */
    public record NotificationView(UUID orderId, String customerId, Outcome outcome, String reason, String channel,
                                   String recipient, String subject, Instant sentAt) {
        static NotificationView of(Notification n) {
            return new NotificationView(n.orderId(), n.customerId(), n.outcome(), n.reason(), n.channel(),
                    n.recipient(), n.subject(), n.sentAt());
        }
    }

    @GET
    @Operation(summary = "The notifications sent for an order (at most one per outcome); a customer sees only "
            + "their own orders' (another's: empty)")
    public Uni<Response> list(@QueryParam("orderId") String orderId) {
        if (orderId == null || !UUID_FORMAT.matcher(orderId).matches()) {
            return Uni.createFrom().item(Problems.badRequest("orderId is required and must be a UUID"));
        }
        return queries.ofOrder(UUID.fromString(orderId))
                .map(found -> Response.ok(found.stream().filter(n -> Caller.mayActFor(caller, n.customerId()))
                        .map(NotificationView::of).toList()).build());
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Server-Sent Events: notifications as they are recorded; a customer sees only their own, "
            + "ops everyone's (or one customer's with ?customerId=)")
    public Multi<NotificationView> stream(@QueryParam("customerId") String customerId) {
        String only = Caller.isOps(caller) ? customerId : Caller.customerId(caller);
        return feed.live()
                .filter(n -> only == null || only.equals(n.customerId()))
                .map(NotificationView::of);
    }
}
