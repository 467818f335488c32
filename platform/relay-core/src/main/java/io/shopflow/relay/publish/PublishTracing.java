package io.shopflow.relay.publish;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The relay's part of an order's trace. The outbox row carries the W3C context of the span that
 * wrote it; for each row the relay records, as children of that span, {@code outbox wait} (from
 * the row's {@code created_at} to the moment the relay hands it to the producer: the time the
 * message sat in the outbox) and {@code <topic> publish} (PRODUCER, until Kafka acknowledged it),
 * and publishes the publish span's context as the record's {@code traceparent}, so that each
 * consumer continues the trace under it (ADR 6).
 */
final class PublishTracing {

    static final String ORDER_ID = "shopflow.order.id";
    static final String MESSAGE_TYPE = "shopflow.message.type";

    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final String source;

    PublishTracing(OpenTelemetry openTelemetry, String source) {
        this.tracer = openTelemetry.getTracer("io.shopflow.relay");
        this.source = source;
    }

    /**
     * Starts the publish span of {@code record}; the first time the record is handed to the
     * producer, also records its {@code outbox wait}.
     */
    Span startPublish(OutboxRecord record, boolean firstAttempt, Instant now) {
        Context parent = parentOf(record);
        if (firstAttempt) {
            tracer.spanBuilder("outbox wait").setParent(parent).setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(record.createdAt())
                    .setAttribute(ORDER_ID, record.aggregateId())
                    .setAttribute(MESSAGE_TYPE, nullToEmpty(record.messageType()))
                    .setAttribute("shopflow.relay.source", source)
                    .startSpan().end(now);
        }
        return tracer.spanBuilder(record.topic() + " publish").setParent(parent).setSpanKind(SpanKind.PRODUCER)
                .setStartTimestamp(now)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute(ORDER_ID, record.aggregateId())
                .setAttribute(MESSAGE_TYPE, nullToEmpty(record.messageType()))
                .setAttribute("shopflow.relay.source", source)
                .startSpan();
    }

    /** {@code traceparent} and {@code tracestate} of {@code span}, for the record's headers. */
    static Map<String, String> headersOf(Span span) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, Map::put);
        return carrier;
    }

    static void end(Span span, Exception error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.getMessage() == null ? error.getClass().getName() : error.getMessage());
        }
        span.end();
    }

    private static Context parentOf(OutboxRecord record) {
        if (record.traceparent() == null) {
            return Context.root();
        }
        Map<String, String> carrier = new HashMap<>();
        carrier.put("traceparent", record.traceparent());
        if (record.tracestate() != null) {
            carrier.put("tracestate", record.tracestate());
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), carrier, GETTER);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
