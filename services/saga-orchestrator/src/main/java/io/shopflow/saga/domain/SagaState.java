package io.shopflow.saga.domain;

/** Where a saga stands, as operators see it. */
public enum SagaState {
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
