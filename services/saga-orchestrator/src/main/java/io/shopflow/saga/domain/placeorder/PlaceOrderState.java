package io.shopflow.saga.domain.placeorder;

/**
 * Where a PlaceOrder saga stands, as operators see it. Its own, not every saga's: the final
 * states are the order's outcomes (and name them on the ops API, in the {@code saga} table and in
 * the {@code outcome} tag of the saga metrics); a second saga would end in outcomes of its own.
 */
public enum PlaceOrderState {
    /** Forward steps in progress. */
    RUNNING,
    /** A step failed; compensations in progress. */
    COMPENSATING,
    /** A step exhausted its attempts; waits for an operator's retry or abort. */
    STUCK,
    /** Final: the order was approved. */
    APPROVED,
    /** Final: the order was rejected and every compensation ran. */
    REJECTED;

    public boolean isFinal() {
        return this == APPROVED || this == REJECTED;
    }
}
