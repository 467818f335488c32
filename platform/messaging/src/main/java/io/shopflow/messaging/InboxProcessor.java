package io.shopflow.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.outbox.Inbox;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.Tracing;
import io.smallrye.mutiny.Uni;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The standard Shopflow {@link RecordProcessor}: decode with the service's serde (an
 * undecodable record, or one of a type that its topic does not carry, is a permanent failure:
 * dead-lettered at once), then in ONE transaction
 * record the message id in the inbox and, the first time only, let the {@link MessageHandler}
 * apply the effect and write its outbox rows. A redelivered message commits nothing new.
 *
 * <p>As a {@link BatchProcessor} it does the same for all records of a poll in one transaction:
 * one inbox statement for all message ids, then each new message's handler in record order.
 * Each transaction runs inside {@link MessageHandler#aroundTransaction}.
 */
public final class InboxProcessor implements BatchProcessor {

    /** Runs reactive work from the consumer thread and waits for it (in Quarkus: {@code VertxContextSupport::subscribeAndAwait}). */
    @FunctionalInterface
    public interface Blocking {
        void await(Supplier<Uni<Void>> work) throws Throwable;
    }

    private final String consumer;
    private final List<String> topics;
    private final MessageSerde serde;
    private final Mutiny.SessionFactory sessions;
    private final Inbox inbox;
    private final Blocking blocking;
    private final MessageHandler handler;
    private final ConsumerTracing tracing;

    /**
     * @param consumer the consumer group, as the inbox records it
     * @param topics   the group's topics: a message must be of a type one of them carries ({@link Topics#carries})
     */
    public InboxProcessor(String consumer, List<String> topics, MessageSerde serde, Mutiny.SessionFactory sessions,
                          Inbox inbox, Blocking blocking, MessageHandler handler, OpenTelemetry openTelemetry) {
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.serde = serde;
        this.sessions = sessions;
        this.inbox = inbox;
        // Every transaction, a batch's or a single record's, runs inside the handler's own wrapper.
        this.blocking = work -> blocking.await(() -> handler.aroundTransaction(work));
        this.handler = handler;
        this.tracing = new ConsumerTracing(openTelemetry, consumer);
    }

    /** A decoded record, with its {@code process} span. */
    private record Decoded(ConsumerRecord<String, byte[]> record, Span span, SpecificRecord message,
                           MessageMetadata metadata, String type) {
    }

    /**
     * Decodes {@code record} with the service's serde (undecodable: the serde's exception) and
     * reads its metadata (a type its topic does not carry, missing metadata, or a message older
     * than the inbox window: a {@link PermanentFailure}); tags {@code span} with the type.
     */
    private Decoded decode(ConsumerRecord<String, byte[]> record, Span span) {
        SpecificRecord message = serde.deserialize(record.topic(), record.value());
        String type = message.getSchema().getName();
        span.setAttribute(Tracing.MESSAGE_TYPE, type);
        if (!carried(record.topic(), message.getSchema().getFullName())) {
            // Handlers ignore types they do not know; without this, a message no owner sent would
            // be recorded as processed and vanish instead of being dead-lettered.
            throw new PermanentFailure(type + " is not a message of " + (topics.contains(record.topic())
                    ? record.topic() : "any of " + topics), null);
        }
        MessageMetadata metadata;
        try {
            metadata = Metadata.of(message);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure(e.getMessage(), e);
        }
        if (!inbox.remembers(metadata.getOccurredAt())) {
            throw new PermanentFailure(type + " " + metadata.getMessageId() + " occurred at " + metadata.getOccurredAt()
                    + ", longer ago than the inbox remembers processed messages (" + inbox.window()
                    + ", shopflow.retention.inbox): a copy processed then may have been pruned, so it is not applied", null);
        }
        return new Decoded(record, span, message, metadata, type);
    }

    /**
     * Whether a message named {@code fullName} may come from {@code topic}: one the topic carries,
     * or, from the group's retry topic, one that any of the group's topics carries (whatever the
     * record's original-topic header claims: its producer wrote it).
     */
    private boolean carried(String topic, String fullName) {
        return topics.contains(topic) ? Topics.carries(topic, fullName)
                : topics.stream().anyMatch(t -> Topics.carries(t, fullName));
    }

    /**
     * Processes the records in one transaction, each in its own {@code <topic> process} span that
     * continues the record's trace, with a {@code transaction <type>} child span current while
     * its handler runs (so that its outbox rows carry the record's trace). Any failure, including
     * a record that cannot be decoded, fails the whole batch before or without a commit.
     */
    @Override
    public void processBatch(List<ConsumerRecord<String, byte[]>> records) throws Exception {
        List<Span> spans = new ArrayList<>(records.size());
        List<Decoded> batch = new ArrayList<>(records.size());
        try {
            for (ConsumerRecord<String, byte[]> record : records) {
                Span span = tracing.startProcessing(record);
                spans.add(span);
                batch.add(decode(record, span));
            }
            List<Inbox.Entry> entries = batch.stream()
                    .map(d -> new Inbox.Entry(d.metadata().getMessageId(), d.type())).toList();
            // The batch's own statements (BEGIN, the inbox insert, COMMIT) belong to no single
            // order's trace: untraced, so that they start no traces of their own either (ADR 6).
            blocking.await(() -> Tracing.untraced(() -> sessions.withTransaction(session -> inbox
                    .markAllProcessed(session, entries, consumer)
                    .chain(fresh -> handleNew(session, batch, new HashSet<>(fresh))))));
            spans.forEach(span -> Tracing.end(span, null));
        } catch (Exception e) {
            spans.forEach(span -> Tracing.end(span, e));
            throw e;
        } catch (Throwable t) {
            spans.forEach(span -> Tracing.end(span, t));
            throw new IllegalStateException(t);
        }
    }

    /** The handlers of the messages recorded for the first time, one after the other, each once. */
    private Uni<Void> handleNew(Mutiny.Session session, List<Decoded> batch, Set<UUID> fresh) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Decoded d : batch) {
            if (!fresh.remove(d.metadata().getMessageId())) {
                continue;
            }
            chain = chain.chain(() -> {
                try (Scope ignored = Context.current().with(d.span()).makeCurrent()) {
                    return Tracing.inSpan(Tracing.transactionSpan(tracing.tracer(), d.type(), d.record().key()),
                            () -> handler.handle(session, d.message(), d.metadata()));
                }
            });
        }
        return chain;
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
            Decoded d = decode(record, span);
            Context context = Context.current();
            blocking.await(() -> {
                // The supplier runs on the Vert.x context of the transaction: make the span current there.
                try (Scope onVertx = context.makeCurrent()) {
                    return Tracing.transaction(tracing.tracer(), sessions, d.type(), record.key(), session -> inbox
                            .markProcessed(session, d.metadata().getMessageId(), consumer, d.type())
                            .chain(first -> first ? handler.handle(session, d.message(), d.metadata())
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
