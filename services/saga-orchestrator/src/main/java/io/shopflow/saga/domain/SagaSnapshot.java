package io.shopflow.saga.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Everything a {@link PlaceOrderSaga} is, for persistence and the ops API. */
public record SagaSnapshot(UUID orderId, String customerId, List<OrderLine> items, Instant startedAt,
                           List<SagaHistoryEntry> history, SagaStep step, SagaState state,
                           RejectionReason rejectionReason, long totalCents, String authorizationId,
                           boolean stockMayBeHeld, boolean paymentMayBeHeld, int attempts, Instant deadline,
                           Instant endedAt) {
}
