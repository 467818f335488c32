package io.shopflow.messaging;

import io.shopflow.contracts.common.MessageMetadata;
import io.smallrye.mutiny.Uni;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A service's reaction to one decoded message, inside the transaction that also records the
 * message in the inbox; its outgoing messages go to the outbox in that same transaction.
 * Dispatch on the message's class (typed), never on strings.
 */
@FunctionalInterface
public interface MessageHandler {

    Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata);
}
