package io.shopflow.saga.domain.placeorder;

/** A line of the order the saga drives. */
public record OrderLine(String sku, int quantity) {
}
