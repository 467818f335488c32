package io.shopflow.order.application;

import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.Optional;

/** Port: the orders this service accepted that are not final yet, from its own database. */
public interface WorkInFlight {

    /** The PENDING orders placed after {@code since}: how many, and when the oldest of them was placed. */
    Uni<Snapshot> pendingSince(Instant since);

    /** {@code oldestPlacedAt} is empty when {@code pending} is 0. */
    record Snapshot(long pending, Optional<Instant> oldestPlacedAt) {

        static final Snapshot NONE = new Snapshot(0, Optional.empty());
    }
}
