package io.shopflow.saga.domain.placeorder;

import io.shopflow.saga.domain.SagaHistoryEntry;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Everything a {@link PlaceOrderSaga} is, for persistence and the ops API. Built by name with
 * {@link #builder()}: seventeen components are too many to pass by position. What every saga has
 * from its start (its order, customer, items, step, state and times) must be set; the others
 * default to none, zero or false.
 *
 * @param stepStartedAt when the current step was entered; its queued wait is bounded from there
 * @param extensions    how often the current step's deadline was extended because its command or
 *                      reply was still queued
 */
public record PlaceOrderSnapshot(UUID orderId, String customerId, List<OrderLine> items, Instant startedAt,
                                 List<SagaHistoryEntry<PlaceOrderStep>> history, PlaceOrderStep step,
                                 PlaceOrderState state, RejectionReason rejectionReason, long totalCents,
                                 String authorizationId, boolean stockMayBeHeld, boolean paymentMayBeHeld,
                                 int attempts, int extensions, Instant stepStartedAt, Instant deadline,
                                 Instant endedAt) {

    public PlaceOrderSnapshot {
        Objects.requireNonNull(orderId, "orderId");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(stepStartedAt, "stepStartedAt");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Names every component of a {@link PlaceOrderSnapshot}; {@link #build()} checks the required ones. */
    public static final class Builder {

        private UUID orderId;
        private String customerId;
        private List<OrderLine> items;
        private Instant startedAt;
        private List<SagaHistoryEntry<PlaceOrderStep>> history = List.of();
        private PlaceOrderStep step;
        private PlaceOrderState state;
        private RejectionReason rejectionReason;
        private long totalCents;
        private String authorizationId;
        private boolean stockMayBeHeld;
        private boolean paymentMayBeHeld;
        private int attempts;
        private int extensions;
        private Instant stepStartedAt;
        private Instant deadline;
        private Instant endedAt;

        private Builder() {
        }

        public Builder orderId(UUID orderId) {
            this.orderId = orderId;
            return this;
        }

        public Builder customerId(String customerId) {
            this.customerId = customerId;
            return this;
        }

        public Builder items(List<OrderLine> items) {
            this.items = items;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder history(List<SagaHistoryEntry<PlaceOrderStep>> history) {
            this.history = history;
            return this;
        }

        public Builder step(PlaceOrderStep step) {
            this.step = step;
            return this;
        }

        public Builder state(PlaceOrderState state) {
            this.state = state;
            return this;
        }

        public Builder rejectionReason(RejectionReason rejectionReason) {
            this.rejectionReason = rejectionReason;
            return this;
        }

        public Builder totalCents(long totalCents) {
            this.totalCents = totalCents;
            return this;
        }

        public Builder authorizationId(String authorizationId) {
            this.authorizationId = authorizationId;
            return this;
        }

        public Builder stockMayBeHeld(boolean stockMayBeHeld) {
            this.stockMayBeHeld = stockMayBeHeld;
            return this;
        }

        public Builder paymentMayBeHeld(boolean paymentMayBeHeld) {
            this.paymentMayBeHeld = paymentMayBeHeld;
            return this;
        }

        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public Builder extensions(int extensions) {
            this.extensions = extensions;
            return this;
        }

        public Builder stepStartedAt(Instant stepStartedAt) {
            this.stepStartedAt = stepStartedAt;
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder endedAt(Instant endedAt) {
            this.endedAt = endedAt;
            return this;
        }

        public PlaceOrderSnapshot build() {
            return new PlaceOrderSnapshot(orderId, customerId, items, startedAt, history, step, state,
                    rejectionReason, totalCents, authorizationId, stockMayBeHeld, paymentMayBeHeld, attempts,
                    extensions, stepStartedAt, deadline, endedAt);
        }
    }
}
