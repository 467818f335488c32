package io.shopflow.order.domain;

/** A line of an order: how many of a SKU. */
public record OrderLine(String sku, int quantity) {
}
