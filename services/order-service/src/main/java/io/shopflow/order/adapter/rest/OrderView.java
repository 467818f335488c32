package io.shopflow.order.adapter.rest;

import io.shopflow.order.domain.Order;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * An order as the public API shows it. {@code rejectionReason} is null unless REJECTED and
 * {@code totalCents} null until APPROVED; both are always present in the JSON.
 */
public record OrderView(UUID orderId, String customerId, String status, String rejectionReason, Long totalCents,
                        List<PlaceOrderRequest.Item> items) {

    static OrderView of(Order order) {
        return new OrderView(order.id(), order.customerId(), order.status().name(),
                order.rejectionReason().map(Enum::name).orElse(null), order.totalCents().orElse(null),
                order.lines().stream().map(l -> new PlaceOrderRequest.Item(l.sku(), l.quantity()))
                        .collect(Collectors.toList()));
    }
}
