package io.shopflow.order.adapter.rest;

import java.util.UUID;

/** Answer of POST /orders. */
public record PlacedView(UUID orderId, String status) {
}
