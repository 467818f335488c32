package io.shopflow.outbox;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Spans of the work a Shopflow service does for an order, with the attributes every span of an
 * order's trace carries ({@link #ORDER_ID}, {@link #MESSAGE_TYPE}, {@link #SAGA_STEP}). ADR 6
 * describes the whole trace.
 */
public final class Tracing {

    /** The order the span works for (the Kafka key of every Shopflow message). */
    public static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("shopflow.order.id");
    /** The Avro message type handled or written, e.g. {@code ReserveStock}. */
    public static final AttributeKey<String> MESSAGE_TYPE = AttributeKey.stringKey("shopflow.message.type");
    /** The PlaceOrder saga step, e.g. {@code RESERVE_STOCK}. */
    public static final AttributeKey<String> SAGA_STEP = AttributeKey.stringKey("shopflow.saga.step");

    private Tracing() {
    }

    /**
     * {@code work} in one database transaction, inside a {@code transaction <name>} span that is a
     * child of the context current at this call and is itself current while the transaction runs,
     * so that the outbox rows it writes carry it. The span ends when the transaction has committed
     * or rolled back.
     */
    public static <T> Uni<T> transaction(Tracer tracer, Mutiny.SessionFactory sessions, String name, String orderId,
                                         Function<Mutiny.Session, Uni<T>> work) {
        return inSpan(transactionSpan(tracer, name, orderId), () -> sessions.withTransaction(work));
    }

    /**
     * The {@code transaction <name>} span of {@link #transaction}, for work that is one part of a
     * transaction shared with other orders (a consumer's batch); {@code orderId} may be null.
     */
    public static SpanBuilder transactionSpan(Tracer tracer, String name, String orderId) {
        SpanBuilder builder = tracer.spanBuilder("transaction " + name).setAttribute("db.system.name", "postgresql");
        if (orderId != null) {
            builder.setAttribute(ORDER_ID, orderId);
        }
        return builder;
    }

    /**
     * {@code work} inside the span that {@code builder} starts, as a child of the context current
     * at this call; the span is current while {@code work} runs (on its Vert.x context, where
     * Quarkus keeps the OpenTelemetry context) and ends when {@code work} terminates.
     */
    public static <T> Uni<T> inSpan(SpanBuilder builder, Supplier<Uni<T>> work) {
        Context parent = Context.current();
        return Uni.createFrom().deferred(() -> {
            Span span = builder.setParent(parent).startSpan();
            return whileCurrent(parent.with(span), work, failure -> end(span, failure));
        });
    }

    /**
     * {@code work} kept out of the traces: background housekeeping (a deadline scan every second,
     * a gauge query) runs under a span context that is not sampled, so that neither it nor the
     * SQL client's spans become traces of their own. Spans {@code work} starts with an explicit
     * parent (an order's saga) still follow that parent's sampling decision.
     */
    public static <T> Uni<T> untraced(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            SpanContext unsampled = SpanContext.create(TraceId.fromLongs(random.nextLong() | 1, random.nextLong()),
                    SpanId.fromLong(random.nextLong() | 1), TraceFlags.getDefault(), TraceState.getDefault());
            return whileCurrent(Context.root().with(Span.wrap(unsampled)), work, failure -> { });
        });
    }

    /**
     * {@code work} with {@code context} current (on its Vert.x context, where Quarkus keeps the
     * OpenTelemetry context) until it terminates; then {@code done} hears of its failure, or null.
     */
    private static <T> Uni<T> whileCurrent(Context context, Supplier<Uni<T>> work, Consumer<Throwable> done) {
        Scope scope = context.makeCurrent();
        Uni<T> uni;
        try {
            uni = work.get();
        } catch (RuntimeException e) {
            scope.close();
            done.accept(e);
            return Uni.createFrom().failure(e);
        }
        return uni.onTermination().invoke((item, failure, cancelled) -> {
            scope.close();
            done.accept(failure);
        });
    }

    /** The W3C {@code traceparent} of {@code context}'s span; null when it has none. */
    public static String traceparent(Context context) {
        return TraceContext.of(context).traceparent();
    }

    /** A context whose span is the remote one {@code traceparent} names; the root context when null. */
    public static Context context(String traceparent) {
        if (traceparent == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT);
    }

    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    /** Ends {@code span}, marked as failed with {@code failure} unless that is null. */
    public static void end(Span span, Throwable failure) {
        if (failure != null) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        span.end();
    }
}
