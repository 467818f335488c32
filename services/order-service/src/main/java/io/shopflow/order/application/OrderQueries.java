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
}
