package io.shopflow.saga.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Row of {@code saga}; mapped to and from {@code PlaceOrderSnapshot} by {@link PostgresSagaStore}. */
@Entity
@Table(name = "saga")
class SagaEntity {

    @Id
    @Column(name = "order_id")
    UUID orderId;

    @Column(name = "saga_type", nullable = false)
    String sagaType;

    @Column(name = "customer_id", nullable = false)
    String customerId;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    Items items;

    @Column(nullable = false)
    String step;

    @Column(nullable = false)
    String state;

    @Column(nullable = false)
    boolean compensating;

    @Column(name = "rejection_reason")
    String rejectionReason;

    @Column(name = "total_cents", nullable = false)
    long totalCents;

    @Column(name = "authorization_id")
    String authorizationId;

    @Column(name = "stock_may_be_held", nullable = false)
    boolean stockMayBeHeld;

    @Column(name = "payment_may_be_held", nullable = false)
    boolean paymentMayBeHeld;

    @Column(nullable = false)
    int attempts;

    @Column(nullable = false)
    int extensions;

    @Column(name = "step_started_at", nullable = false)
    Instant stepStartedAt;

    Instant deadline;

    @Column(name = "started_at", nullable = false)
    Instant startedAt;

    @Column(name = "ended_at")
    Instant endedAt;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    History history;

    /** The trace the saga belongs to, for the spans of its deadline handling. */
    @Column
    String traceparent;

    @Version
    long version;

    /** JSON objects around the arrays: the reactive client cannot bind a top-level JSON array. */
    record Items(List<Line> lines) {
    }

    record Line(String sku, int quantity) {
    }

    record History(List<Entry> entries) {
    }

    record Entry(Instant at, String step, String event) {
    }
}
