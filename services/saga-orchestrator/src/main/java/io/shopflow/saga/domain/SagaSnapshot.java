package io.shopflow.saga.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything a {@link PlaceOrderSaga} is, for persistence and the ops API.
 *
 * @param stepStartedAt when the current step was entered; its queued wait is bounded from there
 * @param extensions    how often the current step's deadline was extended because its command or
 *                      reply was still queued
 */
public record SagaSnapshot(UUID orderId, String customerId, List<OrderLine> items, Instant startedAt,
                           List<SagaHistoryEntry> history, SagaStep step, SagaState state,
                           RejectionReason rejectionReason, long totalCents, String authorizationId,
                           boolean stockMayBeHeld, boolean paymentMayBeHeld, int attempts, int extensions,
                           Instant stepStartedAt, Instant deadline, Instant endedAt) {
}
