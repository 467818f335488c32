package io.shopflow.order.adapter.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.shopflow.order.application.OrderTracing;
import io.shopflow.outbox.Tracing;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;
import java.util.function.Supplier;

/** {@link OrderTracing} with OpenTelemetry, through the platform's {@link Tracing}. */
@ApplicationScoped
class OpenTelemetryOrderTracing implements OrderTracing {

    private final Tracer tracer;

    OpenTelemetryOrderTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.shopflow.order");
    }

    @Override
    public <T> Uni<T> inTransactionSpan(String name, UUID orderId, Supplier<Uni<T>> transaction) {
        return Tracing.inSpan(Tracing.transactionSpan(tracer, name, orderId.toString()), transaction);
    }
}
