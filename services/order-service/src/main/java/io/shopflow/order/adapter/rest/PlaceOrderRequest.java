package io.shopflow.order.adapter.rest;

import java.util.List;

/** Body of POST /orders. Boxed fields, so that a missing value is told apart from a zero. */
public record PlaceOrderRequest(String customerId, List<Item> items) {

    /** A requested line. */
    public record Item(String sku, Integer quantity) {
    }
}
