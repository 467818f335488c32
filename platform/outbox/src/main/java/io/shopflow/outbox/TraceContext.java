package io.shopflow.outbox;

import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;

import java.util.HashMap;
import java.util.Map;

/**
 * The W3C trace context ({@code traceparent}, {@code tracestate}) of an OpenTelemetry context,
 * as stored in the outbox row so that the trace continues through the relay and Kafka
 * into every consumer. Empty when no span is active.
 */
record TraceContext(String traceparent, String tracestate) {

    static TraceContext of(Context context) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        return new TraceContext(carrier.get("traceparent"), carrier.get("tracestate"));
    }
}
