package io.shopflow.saga.domain;

import java.time.Instant;

/** One line of a saga's history: when, in which step, what happened. */
public record SagaHistoryEntry(Instant at, SagaStep step, String event) {
}
