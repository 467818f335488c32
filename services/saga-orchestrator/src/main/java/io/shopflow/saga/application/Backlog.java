package io.shopflow.saga.application;

import io.shopflow.saga.domain.placeorder.PlaceOrderStep;
import io.smallrye.mutiny.Uni;

import java.util.UUID;

/**
 * The queues between the orchestrator and its participants, as far as they tell a late command
 * from a lost one (ADR 8): a command still waiting for a busy participant, or a reply still
 * waiting for the orchestrator, is late and must not be resent.
 */
public interface Backlog {

    /**
     * Looks at the queues once, for one deadline scan. Never fails: when the queues cannot be
     * observed the answer is {@link Queues#UNKNOWN}, and deadlines behave as if nothing was queued.
     * The item is emitted on the caller's Vert.x context, so the caller's reactive session stays usable.
     */
    Uni<Queues> probe();

    /** One observation of the queues. */
    @FunctionalInterface
    interface Queues {

        /** Nothing is known to be queued. */
        Queues UNKNOWN = (orderId, step) -> false;

        /**
         * True when the command of {@code step} for the order, or its reply, may still wait in a
         * queue whose consumer is alive and making progress.
         */
        boolean mayHold(UUID orderId, PlaceOrderStep step);
    }
}
