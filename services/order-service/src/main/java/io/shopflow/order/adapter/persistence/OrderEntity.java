package io.shopflow.order.adapter.persistence;

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

/** Row of {@code orders}; mapped to and from the domain's {@code Order} by {@link PostgresOrderStore}. */
@Entity
@Table(name = "orders")
class OrderEntity {

    @Id
    UUID id;

    @Column(name = "customer_id", nullable = false)
    String customerId;

    @Column(nullable = false)
    String status;

    @Column(name = "rejection_reason")
    String rejectionReason;

    @Column(name = "total_cents")
    Long totalCents;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    LinesJson lines;

    @Column(name = "placed_at", nullable = false)
    Instant placedAt;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Version
    long version;

    /**
     * The {@code lines} JSON column: an object around the array, because the reactive client
     * maps a top-level JSON array to a type Hibernate cannot bind to a list.
     */
    record LinesJson(List<LineJson> lines) {
    }

    /** A line as stored in the {@code lines} JSON column. */
    record LineJson(String sku, int quantity) {
    }
}
