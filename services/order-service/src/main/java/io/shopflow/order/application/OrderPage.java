package io.shopflow.order.application;

import io.shopflow.order.domain.Order;

import java.util.List;

/** One page of a customer's orders, newest first, and how many orders the customer has in all. */
public record OrderPage(List<Order> orders, long total) {

    public OrderPage {
        orders = List.copyOf(orders);
    }
}
