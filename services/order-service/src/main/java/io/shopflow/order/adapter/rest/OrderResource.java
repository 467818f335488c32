package io.shopflow.order.adapter.rest;

import io.shopflow.order.application.InvalidOrderException;
import io.shopflow.order.application.OrderQueries;
import io.shopflow.order.application.PlaceOrder;
import io.shopflow.order.domain.OrderLine;
import io.shopflow.order.domain.OrderRules;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The public order API. */
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrderResource {

    static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;

    private final PlaceOrder placeOrder;
    private final OrderQueries queries;

    OrderResource(PlaceOrder placeOrder, OrderQueries queries) {
        this.placeOrder = placeOrder;
        this.queries = queries;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Place an order", description = "Stores the order PENDING and starts its saga. "
            + "The same Idempotency-Key with the same body answers the same order; with another body, 409.")
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
        return placeOrder.place(idempotencyKey, request.customerId(), lines)
                .map(placement -> Response.accepted(new PlacedView(placement.order().id(), "PENDING"))
                        .location(URI.create("/orders/" + placement.order().id())).build());
    }

    @GET
    @Path("/{orderId}")
    @Operation(summary = "An order and its status")
    public Uni<OrderView> get(@PathParam("orderId") UUID orderId) {
        return queries.get(orderId).map(OrderView::of);
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
