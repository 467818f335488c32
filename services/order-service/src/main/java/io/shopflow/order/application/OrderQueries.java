package io.shopflow.order.application;

import io.shopflow.order.adapter.persistence.OrderStore;
import io.shopflow.order.domain.Order;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.UUID;

/** Reads orders. */
@ApplicationScoped
public class OrderQueries {

    private final Mutiny.SessionFactory sessions;
    private final OrderStore orders;

    OrderQueries(Mutiny.SessionFactory sessions, OrderStore orders) {
        this.sessions = sessions;
        this.orders = orders;
    }

    public Uni<Order> get(UUID id) {
        return sessions.withSession(session -> orders.find(session, id))
                .map(found -> found.orElseThrow(() -> new OrderNotFoundException(id)));
    }

    /** Page {@code page} (from 0) of {@code size} of the customer's orders; the caller checked the bounds. */
    public Uni<OrderPage> ofCustomer(String customerId, int page, int size) {
        return sessions.withSession(session -> orders.ofCustomer(session, customerId, page * size, size)
                .chain(found -> orders.countOfCustomer(session, customerId).map(total -> new OrderPage(found, total))));
    }
}
