package io.shopflow.inventory.adapter.rest;

import io.shopflow.inventory.application.StockLevels;
import io.shopflow.inventory.domain.StockItem;
import io.shopflow.web.Caller;
import io.shopflow.web.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Stock and price per SKU: customers and operators read it, operators change it. */
@Path("/stock")
@RolesAllowed({Caller.CUSTOMER, Caller.OPS})
@Produces(MediaType.APPLICATION_JSON)
public class StockResource {

    private static final String SKU_RULE = "A SKU is 1-64 letters, digits, '.', '_' and '-'";

    private final StockLevels stock;

    StockResource(StockLevels stock) {
        this.stock = stock;
    }

    /** Body of PUT /stock/{sku}. */
    public record StockUpdate(Integer available, Long priceCents) {
    }

    /** A SKU's stock as the API shows it. */
    public record StockView(String sku, int available, int reserved, long priceCents) {
        static StockView of(StockItem item) {
            return new StockView(item.sku(), item.available(), item.reserved(), item.priceCents());
        }
    }

    @GET
    @Path("/{sku}")
    @Operation(summary = "A SKU's available and reserved stock and its price")
    public Uni<Response> get(@PathParam("sku") String sku) {
        if (!StockItem.SKU.matcher(sku).matches()) {
            // Checked before the query: a NUL cannot even be compared in PostgreSQL (it was a 500).
            return Uni.createFrom().item(Problems.badRequest(SKU_RULE));
        }
        return stock.find(sku).map(found -> found
                .map(item -> Response.ok(StockView.of(item)).build())
                .orElseGet(() -> Problems.notFound("No stock for SKU " + sku)));
    }

    @PUT
    @Path("/{sku}")
    @RolesAllowed(Caller.OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a SKU's available stock and price (reserved stock stays reserved); ops only")
    public Uni<Response> put(@PathParam("sku") String sku, StockUpdate update) {
        if (!StockItem.SKU.matcher(sku).matches()) {
            return Uni.createFrom().item(Problems.badRequest(SKU_RULE));
        }
        if (update == null || update.available() == null || update.priceCents() == null
                || update.available() < 0 || update.priceCents() < 0) {
            return Uni.createFrom().item(Problems.badRequest("available and priceCents are required and >= 0"));
        }
        if (update.priceCents() > StockItem.MAX_PRICE_CENTS) {
            return Uni.createFrom().item(Problems.badRequest("priceCents must be at most " + StockItem.MAX_PRICE_CENTS));
        }
        return stock.restock(sku, update.available(), update.priceCents())
                .map(item -> Response.ok(StockView.of(item)).build());
    }
}
