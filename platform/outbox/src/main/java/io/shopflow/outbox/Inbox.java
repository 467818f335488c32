package io.shopflow.outbox;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
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

    /** A message to record: its id and type. */
    public record Entry(UUID messageId, String messageType) {
    }

    /**
     * Records every entry as processed by {@code consumer} with ONE statement, for a batch of
     * messages handled in one transaction. An id that appears twice in {@code entries} is new at
     * most once.
     *
     * @return the ids recorded for the first time (apply their effects); the others are repeats;
     *         a {@link Uni} failing with {@link IllegalStateException} when {@code session} has no
     *         transaction
     */
    public Uni<Set<UUID>> markAllProcessed(Mutiny.Session session, List<Entry> entries, String consumer) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return Transactions.mandatory(session, "Inbox.markAllProcessed", () -> {
            StringJoiner rows = new StringJoiner(", ", "INSERT INTO inbox (message_id, consumer, message_type) VALUES ",
                    " ON CONFLICT DO NOTHING RETURNING message_id");
            for (int i = 0; i < entries.size(); i++) {
                rows.add("(?" + (3 * i + 1) + ", ?" + (3 * i + 2) + ", ?" + (3 * i + 3) + ")");
            }
            var query = session.createNativeQuery(rows.toString(), UUID.class);
            for (int i = 0; i < entries.size(); i++) {
                query.setParameter(3 * i + 1, entries.get(i).messageId());
                query.setParameter(3 * i + 2, consumer);
                query.setParameter(3 * i + 3, entries.get(i).messageType());
            }
            return query.getResultList().map(HashSet::new);
        });
    }

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
