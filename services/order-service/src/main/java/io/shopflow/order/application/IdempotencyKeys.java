package io.shopflow.order.application;

import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;

import java.util.Optional;
import java.util.UUID;

/**
 * Port: the idempotency keys of POST /orders, each customer's their own (two customers may use the
 * same key), remembered for {@code shopflow.retention.idempotency-keys} (ADR 12) since their first use.
 */
public interface IdempotencyKeys {

    /** What a key was first used for. */
    record Claimed(String requestHash, UUID orderId) {
    }

    /**
     * Empty when {@code customerId}'s {@code key} is now claimed for {@code orderId}; otherwise its
     * earlier use within the window. A concurrent claim of the same key waits until the first one's
     * unit of work ends: committed, it is answered; rolled back, the key is claimed.
     */
    Uni<Optional<Claimed>> claim(UnitOfWork work, String customerId, String key, String requestHash, UUID orderId);

    /**
     * What {@code customerId}'s {@code key} was first used for within the window; empty when it was
     * not (or its first use has not committed). Read outside any transaction, for a request that may
     * not write (admission control refused it).
     */
    Uni<Optional<Claimed>> find(String customerId, String key);
}
