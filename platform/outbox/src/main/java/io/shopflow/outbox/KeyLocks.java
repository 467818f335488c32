package io.shopflow.outbox;

import io.smallrye.mutiny.Uni;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.UUID;

/**
 * Serializes the transactions that work on one key, whether or not a row for it exists yet.
 *
 * <p>{@code SELECT ... FOR UPDATE} of a row that is not there locks nothing: two transactions that
 * both find no payment (no reservation) for an order both go on to create it, and the second,
 * reading after the first committed, updates the first's row instead of failing. Two messages for
 * one order can be processed at once (a command and the saga's resend of it, one from the retry
 * topic and one from the command topic, or on two instances); the inbox keeps apart only copies of
 * one message. A key lock taken before the read makes the second transaction wait until the first
 * has committed or rolled back, and its read then sees what the first wrote.
 *
 * <p>PostgreSQL transaction-level advisory locks ({@code pg_advisory_xact_lock(int, int)}: the space's
 * and the key's hash codes, a keyspace apart from the single-key locks of {@link Pruner}); released
 * when the transaction ends, re-entrant within it. Two keys with the same hash only wait for each other.
 */
public final class KeyLocks {

    private static final String LOCK = "SELECT true FROM pg_advisory_xact_lock(?1, ?2)";

    private KeyLocks() {
    }

    /**
     * Locks {@code key} of {@code space} (what is keyed: {@code "payment"}) until the transaction of
     * {@code session} ends, waiting while another transaction holds it.
     *
     * @return a {@link Uni} failing with {@link IllegalStateException} when {@code session} has no
     *         transaction (a lock outside one would end with its statement)
     */
    public static Uni<Void> lock(Mutiny.Session session, String space, UUID key) {
        return Transactions.mandatory(session, "KeyLocks.lock", () -> session.createNativeQuery(LOCK, Boolean.class)
                .setParameter(1, space.hashCode())
                .setParameter(2, key.hashCode())
                .getSingleResult()
                .replaceWithVoid());
    }

    /**
     * The way to read a row that a transaction may go on to create: locks the key {@code id} in the
     * keyspace of {@code entity} (its class name), then reads the entity's row for update.
     *
     * @return the row, or {@code null} when there is none yet; either way the key stays locked until the
     *         transaction ends
     */
    public static <T> Uni<T> lockAndFind(Mutiny.Session session, Class<T> entity, UUID id) {
        return lock(session, entity.getName(), id).chain(() -> session.find(entity, id, LockMode.PESSIMISTIC_WRITE));
    }
}
