package io.shopflow.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.outbox.Inbox;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.Tracing;
import io.smallrye.mutiny.Uni;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.function.Supplier;

/**
 * The standard Shopflow {@link RecordProcessor}: decode with the service's serde (an
 * undecodable record is a permanent failure: dead-lettered at once), then in ONE transaction
 * record the message id in the inbox and, the first time only, let the {@link MessageHandler}
 * apply the effect and write its outbox rows. A redelivered message commits nothing new.
 */
public final class InboxProcessor implements RecordProcessor {

    /** Runs reactive work from the consumer thread and waits for it (in Quarkus: {@code VertxContextSupport::subscribeAndAwait}). */
    @FunctionalInterface
    public interface Blocking {
        void await(Supplier<Uni<Void>> work) throws Throwable;
    }

    private final String consumer;
    private final MessageSerde serde;
    private final Mutiny.SessionFactory sessions;
    private final Inbox inbox;
    private final Blocking blocking;
    private final MessageHandler handler;
    private final ConsumerTracing tracing;

    public InboxProcessor(String consumer, MessageSerde serde, Mutiny.SessionFactory sessions, Inbox inbox,
                          Blocking blocking, MessageHandler handler, OpenTelemetry openTelemetry) {
        this.consumer = consumer;
        this.serde = serde;
        this.sessions = sessions;
        this.inbox = inbox;
        this.blocking = blocking;
        this.handler = handler;
        this.tracing = new ConsumerTracing(openTelemetry, consumer);
    }

    /**
     * Processes one record in a {@code <topic> process} span that continues the trace of the
     * record's {@code traceparent} (ADR 6); the transaction, and the outbox rows it writes, are
     * its children.
     */
    @Override
    public void process(ConsumerRecord<String, byte[]> record) throws Exception {
        Span span = tracing.startProcessing(record);
        try (Scope ignored = span.makeCurrent()) {
            SpecificRecord message = serde.deserialize(record.topic(), record.value());
            String type = message.getSchema().getName();
            span.setAttribute(Tracing.MESSAGE_TYPE, type);
            MessageMetadata metadata;
            try {
                metadata = Metadata.of(message);
            } catch (IllegalArgumentException e) {
                throw new PermanentFailure(e.getMessage(), e);
            }
            Context context = Context.current();
            blocking.await(() -> {
                // The supplier runs on the Vert.x context of the transaction: make the span current there.
                try (Scope onVertx = context.makeCurrent()) {
                    return Tracing.transaction(tracing.tracer(), sessions, type, record.key(), session -> inbox
                            .markProcessed(session, metadata.getMessageId(), consumer, type)
                            .chain(first -> first ? handler.handle(session, message, metadata)
                                    : Uni.createFrom().voidItem()));
                }
            });
            Tracing.end(span, null);
        } catch (Exception e) {
            Tracing.end(span, e);
            throw e;
        } catch (Throwable t) {
            Tracing.end(span, t);
            throw new IllegalStateException(t);
        }
    }
}
