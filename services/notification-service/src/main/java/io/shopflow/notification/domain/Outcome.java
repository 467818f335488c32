package io.shopflow.notification.domain;

/** The final state of an order that a customer hears about. */
public enum Outcome {
    APPROVED,
    REJECTED
}
