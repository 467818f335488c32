package io.shopflow.messaging;

import io.shopflow.contracts.common.MessageMetadata;
import io.smallrye.mutiny.Uni;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.function.Supplier;

/**
 * A service's reaction to one decoded message, inside the transaction that also records the
 * message in the inbox; its outgoing messages go to the outbox in that same transaction.
 * Dispatch on the message's class (typed), never on strings.
 */
@FunctionalInterface
public interface MessageHandler {

    Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata);

    /**
     * Runs one transaction of this handler's consumer (a batch's, or a single message's) and
     * returns its outcome; by default just that. A handler overrides it to act once the
     * transaction committed, which {@link #handle} cannot see from inside it (notification-service
     * publishes the notifications it recorded to its live feed). It is called on the Vert.x
     * context that runs the transaction, and must run {@code transaction} exactly once.
     */
    default Uni<Void> aroundTransaction(Supplier<Uni<Void>> transaction) {
        return transaction.get();
    }
}
