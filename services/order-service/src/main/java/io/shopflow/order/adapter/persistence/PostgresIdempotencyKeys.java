package io.shopflow.order.adapter.persistence;

import io.shopflow.order.application.IdempotencyKeys;
import io.shopflow.outbox.RetentionPolicy;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link IdempotencyKeys} in PostgreSQL, within the session and transaction of the caller's unit of work
 * ({@link #find}: in a session of its own, without a transaction).
 * {@link #claim} inserts the customer's key for a new order or, when the customer used it already,
 * returns what it was first used for. A concurrent request with the same key waits
 * on the first one's row lock until it commits (then sees it) or rolls back (then claims it).
 * {@link #find} only reads, for a request that may not write (admission control refused it).
 *
 * <p>A key is remembered for {@code shopflow.retention.idempotency-keys} (ADR 12): once that long
 * has passed since its first use, it is new again (claimed for the new order), whether or not
 * the {@link #retentionPolicy pruning} has deleted it yet.
 */
@ApplicationScoped
class PostgresIdempotencyKeys implements IdempotencyKeys {

    private final Mutiny.SessionFactory sessions;
    private final Duration window;
    private final Clock clock;

    PostgresIdempotencyKeys(
            Mutiny.SessionFactory sessions,
            @ConfigProperty(name = "shopflow.retention.idempotency-keys", defaultValue = "24h") Duration window,
            Clock clock) {
        this.sessions = sessions;
        this.window = window;
        this.clock = clock;
    }

    @Override
    public Uni<Optional<Claimed>> claim(UnitOfWork work, String customerId, String key, String requestHash,
                                        UUID orderId) {
        Mutiny.Session session = work.session();
        // One expiry for both statements: a key at the window's edge is either new or answered, never neither.
        Instant expiry = expiry();
        return session.createNativeQuery("INSERT INTO idempotency_keys (customer_id, idempotency_key, request_hash, "
                        + "order_id) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (customer_id, idempotency_key) DO UPDATE SET "
                        + "request_hash = EXCLUDED.request_hash, order_id = EXCLUDED.order_id, created_at = clock_timestamp() "
                        + "WHERE idempotency_keys.created_at < ?5")
                .setParameter(1, customerId).setParameter(2, key).setParameter(3, requestHash)
                .setParameter(4, orderId).setParameter(5, expiry)
                .executeUpdate()
                .chain(claimed -> claimed == 1 ? Uni.createFrom().item(Optional.<Claimed>empty())
                        : find(session, customerId, key, expiry));
    }

    @Override
    public Uni<Optional<Claimed>> find(String customerId, String key) {
        return sessions.withSession(session -> find(session, customerId, key, expiry()));
    }

    private Uni<Optional<Claimed>> find(Mutiny.Session session, String customerId, String key, Instant expiry) {
        return session.createNativeQuery("SELECT request_hash, order_id FROM idempotency_keys "
                        + "WHERE customer_id = ?1 AND idempotency_key = ?2 AND created_at >= ?3", Object[].class)
                .setParameter(1, customerId).setParameter(2, key).setParameter(3, expiry)
                .getResultList()
                .map(PostgresIdempotencyKeys::first);
    }

    /** The keys' retention: rows older than the window are pruned. */
    @Produces
    @Singleton
    RetentionPolicy retentionPolicy() {
        return new RetentionPolicy("idempotency_keys", "created_at", window);
    }

    /** Keys first used before this are new again. */
    private Instant expiry() {
        return clock.instant().minus(window);
    }

    private static Optional<Claimed> first(List<Object[]> rows) {
        return rows.stream().findFirst().map(r -> new Claimed(((String) r[0]).trim(), (UUID) r[1]));
    }
}
