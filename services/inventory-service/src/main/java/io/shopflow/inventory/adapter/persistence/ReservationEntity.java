package io.shopflow.inventory.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Row of {@code reservation}. */
@Entity
@Table(name = "reservation")
class ReservationEntity {

    @Id
    @Column(name = "order_id")
    UUID orderId;

    @Column(nullable = false)
    String status;

    /** An object around the array: the reactive client cannot bind a top-level JSON array. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    Lines lines;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    record Lines(List<Line> lines) {
    }

    record Line(String sku, int quantity, long unitPriceCents) {
    }
}
