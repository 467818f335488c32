package io.shopflow.order.adapter.persistence;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Idempotency keys of POST /orders. {@link #claim} inserts the key for a new order or, when the
 * key exists, returns what it was first used for. A concurrent request with the same key waits
 * on the first one's row lock until it commits (then sees it) or rolls back (then claims it).
 * {@link #find} only reads, for a request that may not write (admission control refused it).
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** What a key was first used for. */
    public record Claimed(String requestHash, UUID orderId) {
    }

    /** Empty when {@code key} is now claimed for {@code orderId}; otherwise its earlier use. */
    public Uni<Optional<Claimed>> claim(Mutiny.Session session, String key, String requestHash, UUID orderId) {
        return session.createNativeQuery("INSERT INTO idempotency_keys (idempotency_key, request_hash, order_id) "
                        + "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING")
                .setParameter(1, key).setParameter(2, requestHash).setParameter(3, orderId)
                .executeUpdate()
                .chain(inserted -> inserted == 1 ? Uni.createFrom().item(Optional.<Claimed>empty()) : find(session, key));
    }

    /** What {@code key} was first used for; empty when it was not used (or its first use has not committed). */
    public Uni<Optional<Claimed>> find(Mutiny.Session session, String key) {
        return session.createNativeQuery("SELECT request_hash, order_id FROM idempotency_keys WHERE idempotency_key = ?1",
                        Object[].class)
                .setParameter(1, key)
                .getResultList()
                .map(IdempotencyKeys::first);
    }

    private static Optional<Claimed> first(List<Object[]> rows) {
        return rows.stream().findFirst().map(r -> new Claimed(((String) r[0]).trim(), (UUID) r[1]));
    }
}
