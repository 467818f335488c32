package io.shopflow.order.adapter.persistence;

import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.OrderLine;
import io.shopflow.order.domain.OrderStatus;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/** Orders in PostgreSQL, within the caller's session and transaction. */
@ApplicationScoped
public class OrderStore {

    /** Inserts the order and flushes, so that the row exists before anything else in the transaction. */
    public Uni<Void> insert(Mutiny.Session session, Order order) {
        OrderEntity e = new OrderEntity();
        e.id = order.id();
        e.customerId = order.customerId();
        e.status = order.status().name();
        e.rejectionReason = order.rejectionReason().orElse(null);
        e.totalCents = order.totalCents().orElse(null);
        e.lines = new OrderEntity.LinesJson(order.lines().stream()
                .map(l -> new OrderEntity.LineJson(l.sku(), l.quantity())).collect(Collectors.toList()));
        e.placedAt = order.placedAt();
        e.updatedAt = order.placedAt();
        return session.persist(e).call(session::flush);
    }

    public Uni<Optional<Order>> find(Mutiny.Session session, UUID id) {
        return session.find(OrderEntity.class, id).map(e -> Optional.ofNullable(e).map(OrderStore::toDomain));
    }

    private static Order toDomain(OrderEntity e) {
        return new Order(e.id, e.customerId,
                e.lines.lines().stream().map(l -> new OrderLine(l.sku(), l.quantity())).collect(Collectors.toList()),
                e.placedAt, OrderStatus.valueOf(e.status), e.rejectionReason, e.totalCents);
    }

}
