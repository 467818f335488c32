package io.shopflow.order.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** The Order aggregate: what a customer asked for and where its saga stands. */
public final class Order {

    private final UUID id;
    private final String customerId;
    private final List<OrderLine> lines;
    private final Instant placedAt;
    private OrderStatus status;
    private RejectionReason rejectionReason;
    private Long totalCents;

    public Order(UUID id, String customerId, List<OrderLine> lines, Instant placedAt, OrderStatus status,
                 RejectionReason rejectionReason, Long totalCents) {
        this.id = Objects.requireNonNull(id);
        this.customerId = Objects.requireNonNull(customerId);
        this.lines = List.copyOf(lines);
        this.placedAt = Objects.requireNonNull(placedAt);
        this.status = Objects.requireNonNull(status);
        this.rejectionReason = rejectionReason;
        this.totalCents = totalCents;
    }

    /** A new PENDING order; the caller checked {@link OrderRules} first. */
    public static Order place(String customerId, List<OrderLine> lines, Instant now) {
        return new Order(UUID.randomUUID(), customerId, lines, now, OrderStatus.PENDING, null, null);
    }

    /**
     * Approves a PENDING order at the total its saga reserved and authorized. A repeat is
     * {@link Transition#REPEATED} (the first total stands); after a rejection it is
     * {@link Transition#IGNORED}.
     */
    public Transition approve(long totalCents) {
        if (totalCents < 0) {
            throw new IllegalArgumentException("totalCents must not be negative: " + totalCents);
        }
        return switch (status) {
            case PENDING -> {
                this.status = OrderStatus.APPROVED;
                this.totalCents = totalCents;
                yield Transition.APPLIED;
            }
            case APPROVED -> Transition.REPEATED;
            case REJECTED -> Transition.IGNORED;
        };
    }

    /**
     * Rejects a PENDING order. A repeat is {@link Transition#REPEATED} (the first reason stands,
     * whatever the repeat says); after an approval it is {@link Transition#IGNORED}.
     */
    public Transition reject(RejectionReason reason) {
        Objects.requireNonNull(reason);
        return switch (status) {
            case PENDING -> {
                this.status = OrderStatus.REJECTED;
                this.rejectionReason = reason;
                yield Transition.APPLIED;
            }
            case REJECTED -> Transition.REPEATED;
            case APPROVED -> Transition.IGNORED;
        };
    }

    public UUID id() {
        return id;
    }

    public String customerId() {
        return customerId;
    }

    public List<OrderLine> lines() {
        return lines;
    }

    public Instant placedAt() {
        return placedAt;
    }

    public OrderStatus status() {
        return status;
    }

    public Optional<RejectionReason> rejectionReason() {
        return Optional.ofNullable(rejectionReason);
    }

    public Optional<Long> totalCents() {
        return Optional.ofNullable(totalCents);
    }
}
