package io.shopflow.messaging;

import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.outbox.Inbox;
import io.shopflow.outbox.Metadata;
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

    public InboxProcessor(String consumer, MessageSerde serde, Mutiny.SessionFactory sessions, Inbox inbox,
                          Blocking blocking, MessageHandler handler) {
        this.consumer = consumer;
        this.serde = serde;
        this.sessions = sessions;
        this.inbox = inbox;
        this.blocking = blocking;
        this.handler = handler;
    }

    @Override
    public void process(ConsumerRecord<String, byte[]> record) throws Exception {
        SpecificRecord message = serde.deserialize(record.topic(), record.value());
        MessageMetadata metadata;
        try {
            metadata = Metadata.of(message);
        } catch (IllegalArgumentException e) {
            throw new PermanentFailure(e.getMessage(), e);
        }
        try {
            blocking.await(() -> sessions.withTransaction(session -> inbox
                    .markProcessed(session, metadata.getMessageId(), consumer, message.getSchema().getName())
                    .chain(first -> first ? handler.handle(session, message, metadata) : Uni.createFrom().voidItem())));
        } catch (Exception e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
