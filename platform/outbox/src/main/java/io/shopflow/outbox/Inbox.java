package io.shopflow.outbox;

import io.smallrye.mutiny.Uni;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>It remembers a message id for its {@code window} (ADR 12): the rows are pruned after the window
 * (plus {@link #CLOCK_ALLOWANCE}), and a message that occurred longer ago than the window is not
 * {@link #remembers remembered}, so the consumer refuses it rather than risk a second effect.
 */
public final class Inbox {

    /**
     * How far the clocks of the services and the databases may disagree: rows are kept this much
     * longer than the window. NTP keeps them within milliseconds.
     */
    public static final Duration CLOCK_ALLOWANCE = Duration.ofMinutes(1);

    private static final String INSERT = "INSERT INTO inbox (message_id, consumer, message_type) "
            + "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING";

    private final Duration window;
    private final Clock clock;

    /**
     * @param window how long a processed message id is kept: longer than any copy of the message
     *               can still arrive (the retention of the topics it is consumed from)
     */
    public Inbox(Duration window, Clock clock) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("The inbox window must be positive: " + window);
        }
        this.window = window;
        this.clock = clock;
    }

    public Duration window() {
        return window;
    }

    /**
     * Whether every copy of a message that occurred at {@code occurredAt} and was processed before
     * is still recorded: it is, while the message is younger than the window (a copy is processed
     * after it occurred, and its row is kept for the window from then).
     */
    public boolean remembers(Instant occurredAt) {
        return !occurredAt.isBefore(clock.instant().minus(window));
    }

    /** The inbox's retention: rows older than the window and the clock allowance are pruned. */
    public RetentionPolicy retentionPolicy() {
        return new RetentionPolicy("inbox", "processed_at", window.plus(CLOCK_ALLOWANCE));
    }

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
