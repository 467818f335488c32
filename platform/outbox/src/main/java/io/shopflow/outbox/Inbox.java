package io.shopflow.outbox;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.UUID;

/**
 * The processed-message log of a consumer. Recording the message id in the same transaction as
 * the state change and the outgoing outbox rows makes a redelivered message have no second
 * effect: the second transaction finds the id and skips, or (when both run at once) waits on
 * the first's row lock and then finds it.
 */
public final class Inbox {

    private static final String INSERT = "INSERT INTO inbox (message_id, consumer, message_type) "
            + "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

    /**
     * Records {@code messageId} as processed by {@code consumer}.
     *
     * @return true the first time (go on and apply the effect), false for a repeat (skip it); a
     *         {@link Uni} failing with {@link IllegalStateException} when {@code session} has no
     *         transaction
     */
    public Uni<Boolean> markProcessed(Mutiny.Session session, UUID messageId, String consumer, String messageType) {
        return Transactions.mandatory(session, "Inbox.markProcessed", () -> session.createNativeQuery(INSERT)
                .setParameter(1, messageId)
                .setParameter(2, consumer)
                .setParameter(3, messageType)
                .executeUpdate()
                .map(inserted -> inserted == 1));
    }
}
