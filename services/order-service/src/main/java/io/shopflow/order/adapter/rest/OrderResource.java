package io.shopflow.order.adapter.rest;

import io.shopflow.order.application.InvalidOrderException;
import io.shopflow.order.application.OrderQueries;
import io.shopflow.order.application.PlaceOrder;
import io.shopflow.order.domain.OrderLine;
import io.shopflow.order.domain.OrderRules;
import io.quarkus.security.identity.SecurityIdentity;
import io.shopflow.order.application.OrderNotFoundException;
import io.shopflow.web.Caller;
import io.shopflow.web.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The public order API: customers (their own orders) and operators. */
@Path("/orders")
@RolesAllowed({Caller.CUSTOMER, Caller.OPS})
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;
    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;

    private final PlaceOrder placeOrder;
    private final OrderQueries queries;
    private final SecurityIdentity caller;

    OrderResource(PlaceOrder placeOrder, OrderQueries queries, SecurityIdentity caller) {
        this.placeOrder = placeOrder;
        this.queries = queries;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Place an order", description = "Stores the order PENDING and starts its saga. "
            + "The same Idempotency-Key with the same body answers the same order; with another body, 409. "
            + "While the system is behind: 503 with Retry-After (seconds) and nothing stored; retry with the same key. "
            + "While the database cannot be reached: 503 (/problems/database-unavailable) with Retry-After; retry "
            + "with the same key.")
    public Uni<Response> place(
            @Parameter(description = "Unique per intended order, at most 128 characters", required = true)
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            PlaceOrderRequest request) {
        List<OrderRules.Violation> violations = new ArrayList<>();
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            violations.add(new OrderRules.Violation("Idempotency-Key", "header is required"));
        } else if (idempotencyKey.length() > MAX_IDEMPOTENCY_KEY_LENGTH) {
            violations.add(new OrderRules.Violation("Idempotency-Key", "is longer than 128 characters"));
        }
        if (request == null) {
            violations.add(new OrderRules.Violation("body", "is required"));
            throw new InvalidOrderException(violations);
        }
        List<OrderLine> lines = toLines(request.items(), violations);
        if (!violations.isEmpty()) {
            throw new InvalidOrderException(violations);
        }
        if (request.customerId() != null && !Caller.mayActFor(caller, request.customerId())) {
            return Uni.createFrom().item(Problems.response(Response.Status.FORBIDDEN, "not-your-order",
                    "A customer places orders only for themselves (the token's subject)"));
        }
        return placeOrder.place(idempotencyKey, request.customerId(), lines)
                .map(placement -> Response.accepted(new PlacedView(placement.order().id(), "PENDING"))
                        .location(URI.create("/orders/" + placement.order().id())).build());
    }

    @GET
    @Path("/{orderId}")
    @Operation(summary = "An order and its status; a customer sees only their own (another's: 404)")
    public Uni<OrderView> get(@PathParam("orderId") UUID orderId) {
        return queries.get(orderId).map(order -> {
            if (!Caller.mayActFor(caller, order.customerId())) {
                throw new OrderNotFoundException(orderId);
            }
            return OrderView.of(order);
        });
    }

    @GET
    @Operation(summary = "A customer's orders, newest first, one page at a time")
    public Uni<OrderPageView> list(
            @Parameter(description = "Whose orders: a customer may list only their own (another's: 404)",
                    required = true)
            @QueryParam("customerId") String customerId,
            @Parameter(description = "Page number from 0", schema = @Schema(type = SchemaType.INTEGER,
                    defaultValue = "0", minimum = "0"))
            @QueryParam("page") String page,
            @Parameter(description = "Orders per page", schema = @Schema(type = SchemaType.INTEGER,
                    defaultValue = "" + DEFAULT_PAGE_SIZE, minimum = "1", maximum = "" + MAX_PAGE_SIZE))
            @QueryParam("size") String size) {
        // page and size are read as text: a JAX-RS conversion failure would answer 404, not a 400 problem.
        List<OrderRules.Violation> violations = new ArrayList<>();
        OrderRules.customerIdProblem(customerId)
                .ifPresent(problem -> violations.add(new OrderRules.Violation("customerId", problem)));
        int pageNumber = intParameter("page", page, 0, 0, Integer.MAX_VALUE, violations);
        int pageSize = intParameter("size", size, DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, violations);
        if (violations.isEmpty() && (long) pageNumber * pageSize > Integer.MAX_VALUE) {
            violations.add(new OrderRules.Violation("page", "is beyond the last possible page"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidQueryException(violations);
        }
        if (!Caller.mayActFor(caller, customerId)) {
            throw new NotFoundException();
        }
        return queries.ofCustomer(customerId, pageNumber, pageSize)
                .map(found -> OrderPageView.of(customerId, pageNumber, pageSize, found));
    }

    /** {@code value} as an int in [min, max], {@code fallback} when absent; otherwise a violation. */
    private static int intParameter(String name, String value, int fallback, int min, int max,
                                    List<OrderRules.Violation> violations) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // Reported below, with the range, like an out-of-range number.
        }
        violations.add(new OrderRules.Violation(name, max == Integer.MAX_VALUE
                ? "must be a whole number of at least " + min
                : "must be a whole number from " + min + " to " + max));
        return fallback;
    }

    /** Domain lines from the body; missing parts become violations (the rules check the rest). */
    private static List<OrderLine> toLines(List<PlaceOrderRequest.Item> items, List<OrderRules.Violation> violations) {
        List<OrderLine> lines = new ArrayList<>();
        if (items == null) {
            return lines;
        }
        for (int i = 0; i < items.size(); i++) {
            PlaceOrderRequest.Item item = items.get(i);
            if (item == null) {
                violations.add(new OrderRules.Violation("items[" + i + "]", "is required"));
            } else if (item.quantity() == null) {
                violations.add(new OrderRules.Violation("items[" + i + "].quantity", "is required"));
            } else {
                lines.add(new OrderLine(item.sku(), item.quantity()));
            }
        }
        return lines;
    }
}
