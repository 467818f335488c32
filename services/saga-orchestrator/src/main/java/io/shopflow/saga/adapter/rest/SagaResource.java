package io.shopflow.saga.adapter.rest;

import io.shopflow.saga.application.SagaCoordinator;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput;
import io.shopflow.saga.domain.placeorder.PlaceOrderSnapshot;
import io.shopflow.saga.domain.placeorder.PlaceOrderState;
import io.shopflow.web.Caller;
import io.shopflow.web.Problems;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** The operators' view of sagas: state and history, stuck ones, retry and abort ({@code ops} only). */
@Path("/sagas")
@RolesAllowed(Caller.OPS)
@Produces(MediaType.APPLICATION_JSON)
public class SagaResource {

    private final SagaCoordinator coordinator;

    SagaResource(SagaCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @GET
    @Path("/{orderId}")
    @Operation(summary = "A saga's state and step history")
    public Uni<Response> get(@PathParam("orderId") UUID orderId) {
        return coordinator.get(orderId).map(found -> found
                .map(s -> Response.ok(SagaView.of(s)).build())
                .orElseGet(() -> Problems.notFound("No saga for order " + orderId)));
    }

    @GET
    @Operation(summary = "Sagas, newest first, optionally in one state (e.g. STUCK, COMPENSATING)")
    public Uni<Response> list(@QueryParam("state") String state, @QueryParam("limit") @DefaultValue("100") int limit) {
        Optional<PlaceOrderState> filter;
        try {
            filter = Optional.ofNullable(state).map(s -> PlaceOrderState.valueOf(s.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(Problems.badRequest("state must be one of " + List.of(PlaceOrderState.values())));
        }
        if (limit < 1 || limit > 1000) {
            return Uni.createFrom().item(Problems.badRequest("limit must be within 1..1000"));
        }
        return coordinator.list(filter, limit)
                .map(sagas -> Response.ok(sagas.stream().map(SagaView::of).toList()).build());
    }

    @POST
    @Path("/{orderId}/retry")
    @Operation(summary = "Resend the current step of a STUCK saga")
    public Uni<Response> retry(@PathParam("orderId") UUID orderId) {
        return operate(orderId, new PlaceOrderInput.OperatorRetry(), "only a STUCK saga can be retried");
    }

    @POST
    @Path("/{orderId}/abort")
    @Operation(summary = "Compensate and reject a saga that has not passed its pivot (payment authorized)")
    public Uni<Response> abort(@PathParam("orderId") UUID orderId) {
        return operate(orderId, new PlaceOrderInput.OperatorAbort(),
                "only a running saga before its pivot (payment authorized) can be aborted");
    }

    private Uni<Response> operate(UUID orderId, PlaceOrderInput input, String whenNotApplicable) {
        return coordinator.operate(orderId, input).chain(outcome -> switch (outcome) {
            case APPLIED -> coordinator.get(orderId).map(s -> Response.accepted(SagaView.of(s.orElseThrow())).build());
            case NOT_APPLICABLE -> Uni.createFrom().item(Problems.conflict(whenNotApplicable));
            case NOT_FOUND -> Uni.createFrom().item(Problems.notFound("No saga for order " + orderId));
        });
    }

    /** A saga as the ops API shows it. */
    public record SagaView(UUID orderId, String type, String state, String step, boolean compensating,
                           String rejectionReason, int attempts, int extensions, String stepStartedAt,
                           String deadline, long totalCents, String startedAt, String endedAt,
                           List<HistoryView> history) {

        static SagaView of(PlaceOrderSnapshot s) {
            return new SagaView(s.orderId(), "PlaceOrder", s.state().name(), s.step().name(),
                    s.state() == PlaceOrderState.COMPENSATING || s.step().isCompensation(),
                    s.rejectionReason() == null ? null : s.rejectionReason().name(), s.attempts(), s.extensions(),
                    s.stepStartedAt().toString(), s.deadline() == null ? null : s.deadline().toString(),
                    s.totalCents(), s.startedAt().toString(),
                    s.endedAt() == null ? null : s.endedAt().toString(),
                    s.history().stream().map(h -> new HistoryView(h.at().toString(), h.step().name(), h.event()))
                            .toList());
        }
    }

    /** One line of a saga's history. */
    public record HistoryView(String at, String step, String event) {
    }
}
