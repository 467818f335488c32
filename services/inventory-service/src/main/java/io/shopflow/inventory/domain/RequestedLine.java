package io.shopflow.inventory.domain;

/** A line the saga asks to reserve. */
public record RequestedLine(String sku, int quantity) {
}
