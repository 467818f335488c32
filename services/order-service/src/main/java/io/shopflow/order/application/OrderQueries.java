package io.shopflow.order.application;

import io.shopflow.order.domain.Order;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** Reads orders, outside any transaction. */
@ApplicationScoped
public class OrderQueries {

    private final OrderStore orders;

    OrderQueries(OrderStore orders) {
        this.orders = orders;
    }

    public Uni<Order> get(UUID id) {
        return orders.find(id).map(found -> found.orElseThrow(() -> new OrderNotFoundException(id)));
    }

    /** Page {@code page} (from 0) of {@code size} of the customer's orders; the caller checked the bounds. */
    public Uni<OrderPage> ofCustomer(String customerId, int page, int size) {
        return orders.pageOfCustomer(customerId, page * size, size);
    }
}
