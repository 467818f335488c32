package io.shopflow.saga.adapter.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.shopflow.outbox.Tracing;
import io.shopflow.saga.application.SagaTracing;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderStep;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.function.Supplier;

/** {@link SagaTracing} with OpenTelemetry, through the platform's {@link Tracing}. */
@ApplicationScoped
class OpenTelemetrySagaTracing implements SagaTracing {

    private final Tracer tracer;

    OpenTelemetrySagaTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.shopflow.saga");
    }

    @Override
    public String current() {
        return Tracing.traceparent(Context.current());
    }

    @Override
    public <T> Uni<T> inStep(PlaceOrderSaga saga, String input, Supplier<Uni<T>> work) {
        return Tracing.inSpan(tracer.spanBuilder("saga step " + saga.step())
                .setAttribute(Tracing.ORDER_ID, saga.orderId().toString())
                .setAttribute(Tracing.SAGA_STEP, saga.step().name())
                .setAttribute("shopflow.saga.state", saga.state().name())
                .setAttribute("shopflow.saga.input", input), work);
    }

    @Override
    public <T> Uni<T> inDeadline(String traceparent, UUID orderId, PlaceOrderStep step,
                                 PlaceOrderSaga.DeadlineOutcome outcome, Supplier<Uni<T>> work) {
        try (Scope ignored = Tracing.context(traceparent).makeCurrent()) {
            return Tracing.inSpan(tracer.spanBuilder("saga deadline " + step)
                    .setAttribute(Tracing.ORDER_ID, orderId.toString())
                    .setAttribute(Tracing.SAGA_STEP, step.name())
                    .setAttribute("shopflow.saga.deadline.outcome", outcome.name()), work);
        }
    }
}
