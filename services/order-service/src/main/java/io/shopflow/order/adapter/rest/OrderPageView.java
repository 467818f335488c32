package io.shopflow.order.adapter.rest;

import io.shopflow.order.application.OrderPage;

import java.util.List;
import java.util.stream.Collectors;

/** Answer of GET /orders: one page of a customer's orders, newest first, and their total count. */
public record OrderPageView(String customerId, int page, int size, long total, List<OrderView> orders) {

    static OrderPageView of(String customerId, int page, int size, OrderPage found) {
        return new OrderPageView(customerId, page, size, found.total(),
                found.orders().stream().map(OrderView::of).collect(Collectors.toList()));
    }
}
