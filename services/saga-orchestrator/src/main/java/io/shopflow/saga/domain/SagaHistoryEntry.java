package io.shopflow.saga.domain;

import java.time.Instant;

/**
 * One line of a saga's history: when, in which step, what happened. Any saga's: {@code S} is the
 * saga's own step type.
 */
public record SagaHistoryEntry<S extends Enum<S>>(Instant at, S step, String event) {
}
