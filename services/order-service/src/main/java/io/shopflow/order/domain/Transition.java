package io.shopflow.order.domain;

/**
 * What {@link Order#approve} or {@link Order#reject} did. Commands arrive at least once and a
 * late command can follow a final state, so neither a repeat nor a conflict is an error: the
 * caller only stores and announces {@link #APPLIED}.
 */
public enum Transition {
    /** The order left PENDING: store it and announce the outcome. */
    APPLIED,
    /** The order already had this outcome: nothing changes. */
    REPEATED,
    /** The order already had the other outcome, which is final: the command is ignored. */
    IGNORED
}
