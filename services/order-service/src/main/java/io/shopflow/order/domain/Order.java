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
    private String rejectionReason;
    private Long totalCents;

    public Order(UUID id, String customerId, List<OrderLine> lines, Instant placedAt, OrderStatus status,
                 String rejectionReason, Long totalCents) {
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

    public Optional<String> rejectionReason() {
        return Optional.ofNullable(rejectionReason);
    }

    public Optional<Long> totalCents() {
        return Optional.ofNullable(totalCents);
    }
}
