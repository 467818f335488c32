package io.shopflow.outbox;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.serde.MessageSerde;
import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.Objects;

/**
 * Writes messages as rows of the {@code outbox} table in the caller's Hibernate Reactive
 * transaction, so that they commit, or roll back, with the state change that causes them. The
 * relay publishes them to Kafka afterwards.
 *
 * <p>The row carries the message id, aggregate type and id (the Kafka key), topic, message type,
 * the payload encoded by the service's {@link MessageSerde}, correlation and causation id, and
 * the W3C trace context of an {@code outbox append} span, a child of the current context.
 */
public final class OutboxWriter {

    private static final String INSERT = "INSERT INTO outbox (id, aggregate_type, aggregate_id, topic, message_type, "
            + "payload, correlation_id, causation_id, traceparent, tracestate) "
            + "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

    private final MessageSerde serde;
    private final Tracer tracer;

    /** An outbox writer without spans of its own: rows carry the caller's trace context. */
    public OutboxWriter(MessageSerde serde) {
        this(serde, OpenTelemetry.noop());
    }

    /**
     * @param serde         the service's encoding ({@code shopflow.serde.mode}); consumers decode with the same mode
     * @param openTelemetry where each append's {@code outbox append} span goes; the row carries that span's context
     */
    public OutboxWriter(MessageSerde serde, OpenTelemetry openTelemetry) {
        this.serde = Objects.requireNonNull(serde, "serde");
        this.tracer = openTelemetry.getTracer("io.shopflow.outbox");
    }

    /**
     * Appends one message, in an {@code outbox append} span under the context current when this
     * method is called.
     *
     * @return a {@link Uni} that fails with {@link IllegalStateException} when {@code session} has
     *         no transaction, and with the serde's exception when the message cannot be encoded
     */
    public Uni<Void> append(Mutiny.Session session, OutboxMessage message) {
        return Transactions.mandatory(session, "OutboxWriter.append", () -> insert(session, message));
    }

    private Uni<Void> insert(Mutiny.Session session, OutboxMessage message) {
        MessageMetadata metadata = Metadata.of(message.message());
        byte[] payload = serde.serialize(message.topic(), message.message());
        String type = message.message().getSchema().getName();
        Span span = tracer.spanBuilder("outbox append " + type)
                .setAttribute(Tracing.ORDER_ID, message.aggregateId())
                .setAttribute(Tracing.MESSAGE_TYPE, type)
                .setAttribute("messaging.destination.name", message.topic())
                .startSpan();
        TraceContext trace = TraceContext.of(Context.current().with(span));
        return session.createNativeQuery(INSERT)
                .setParameter(1, metadata.getMessageId())
                .setParameter(2, message.aggregateType())
                .setParameter(3, message.aggregateId())
                .setParameter(4, message.topic())
                .setParameter(5, type)
                .setParameter(6, payload)
                .setParameter(7, metadata.getCorrelationId())
                .setParameter(8, metadata.getCausationId())
                .setParameter(9, trace.traceparent())
                .setParameter(10, trace.tracestate())
                .executeUpdate()
                .onTermination().invoke((rows, failure, cancelled) -> Tracing.end(span, failure))
                .replaceWithVoid();
    }

    /** Appends the messages in order (their {@code position} follows that order). */
    public Uni<Void> appendAll(Mutiny.Session session, List<OutboxMessage> messages) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (OutboxMessage message : messages) {
            chain = chain.chain(() -> append(session, message));
        }
        return chain;
    }
}
