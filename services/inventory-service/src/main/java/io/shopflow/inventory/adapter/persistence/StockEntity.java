package io.shopflow.inventory.adapter.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** Row of {@code stock}. */
@Entity
@Table(name = "stock")
class StockEntity {

    @Id
    String sku;

    @Column(nullable = false)
    int available;

    @Column(nullable = false)
    int reserved;

    @Column(name = "price_cents", nullable = false)
    long priceCents;

    @Version
    long version;
}
