package io.shopflow.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.shopflow.outbox.Tracing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A consumer's span for one record: {@code <topic> process} (CONSUMER), a child of the span
 * whose context the record's {@code traceparent} header carries (the relay's publish span), so
 * that an order's whole path is one trace (ADR 6).
 */
final class ConsumerTracing {

    private static final TextMapGetter<ConsumerRecord<String, byte[]>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ConsumerRecord<String, byte[]> record) {
            List<String> keys = new ArrayList<>();
            record.headers().forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(ConsumerRecord<String, byte[]> record, String key) {
            Header header = record == null ? null : record.headers().lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final Tracer tracer;
    private final String group;

    ConsumerTracing(OpenTelemetry openTelemetry, String group) {
        this.tracer = openTelemetry.getTracer("io.shopflow.messaging");
        this.group = group;
    }

    Tracer tracer() {
        return tracer;
    }

    Span startProcessing(ConsumerRecord<String, byte[]> record) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), record, HEADERS);
        var builder = tracer.spanBuilder(record.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.consumer.group.name", group)
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()));
        if (record.key() != null) {
            builder.setAttribute(Tracing.ORDER_ID, record.key());
        }
        return builder.startSpan();
    }
}
