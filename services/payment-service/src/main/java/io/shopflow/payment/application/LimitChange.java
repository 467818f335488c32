package io.shopflow.payment.application;

import io.shopflow.payment.domain.CreditAccount;

/** What setting a credit limit came to: a value, never an exception. */
public sealed interface LimitChange {

    record Changed(CreditAccount account) implements LimitChange {
    }

    /** Nothing changed; {@code reason} says why, for the operator. */
    record Refused(String reason) implements LimitChange {
    }
}
