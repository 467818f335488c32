package io.shopflow.order.adapter.persistence;

import io.shopflow.order.application.OrderPage;
import io.shopflow.order.application.OrderStore;
import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.OrderLine;
import io.shopflow.order.domain.OrderStatus;
import io.shopflow.order.domain.RejectionReason;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@link OrderStore} in PostgreSQL: within the session and transaction of the caller's unit of work,
 * or, for the reads of the order API, in a session of its own without a transaction.
 */
@ApplicationScoped
class PostgresOrderStore implements OrderStore {

    private final Mutiny.SessionFactory sessions;

    PostgresOrderStore(Mutiny.SessionFactory sessions) {
        this.sessions = sessions;
    }

    /** Inserts the order and flushes, so that the row exists before anything else in the transaction. */
    @Override
    public Uni<Void> insert(UnitOfWork work, Order order) {
        Mutiny.Session session = work.session();
        OrderEntity e = new OrderEntity();
        e.id = order.id();
        e.customerId = order.customerId();
        e.status = order.status().name();
        e.rejectionReason = order.rejectionReason().map(Enum::name).orElse(null);
        e.totalCents = order.totalCents().orElse(null);
        e.lines = new OrderEntity.LinesJson(order.lines().stream()
                .map(l -> new OrderEntity.LineJson(l.sku(), l.quantity())).collect(Collectors.toList()));
        e.placedAt = order.placedAt();
        e.updatedAt = order.placedAt();
        return session.persist(e).call(session::flush);
    }

    @Override
    public Uni<Optional<Order>> find(UnitOfWork work, UUID id) {
        return find(work.session(), id);
    }

    @Override
    public Uni<Optional<Order>> find(UUID id) {
        return sessions.withSession(session -> find(session, id));
    }

    private static Uni<Optional<Order>> find(Mutiny.Session session, UUID id) {
        return session.find(OrderEntity.class, id).map(e -> Optional.ofNullable(e).map(PostgresOrderStore::toDomain));
    }

    /**
     * The order, its row locked ({@code SELECT ... FOR UPDATE}) until the transaction ends: two
     * commands for one order (the main and the retry consumer run side by side) take turns, and
     * the second sees what the first decided.
     */
    @Override
    public Uni<Optional<Order>> lock(UnitOfWork work, UUID id) {
        return work.session().find(OrderEntity.class, id, LockMode.PESSIMISTIC_WRITE)
                .map(e -> Optional.ofNullable(e).map(PostgresOrderStore::toDomain));
    }

    /**
     * Writes back the outcome of an order loaded with {@link #lock} in this session and flushes.
     * The {@code version} column guards the update as well: a writer that bypassed the lock makes
     * it fail rather than be overwritten.
     */
    @Override
    public Uni<Void> update(UnitOfWork work, Order order, Instant now) {
        Mutiny.Session session = work.session();
        return session.find(OrderEntity.class, order.id()).chain(e -> {
            if (e == null) {
                return Uni.createFrom().failure(new IllegalStateException("order " + order.id() + " vanished"));
            }
            e.status = order.status().name();
            e.rejectionReason = order.rejectionReason().map(Enum::name).orElse(null);
            e.totalCents = order.totalCents().orElse(null);
            e.updatedAt = now;
            return session.flush();
        });
    }

    @Override
    public Uni<OrderPage> pageOfCustomer(String customerId, int offset, int limit) {
        return sessions.withSession(session -> ofCustomer(session, customerId, offset, limit)
                .chain(found -> countOfCustomer(session, customerId).map(total -> new OrderPage(found, total))));
    }

    /**
     * A customer's orders, newest first, from {@code offset}; the id breaks ties of
     * {@code placed_at} so that pages neither repeat nor skip an order.
     */
    private static Uni<List<Order>> ofCustomer(Mutiny.Session session, String customerId, int offset, int limit) {
        return session.createSelectionQuery(
                        "FROM OrderEntity o WHERE o.customerId = :customerId ORDER BY o.placedAt DESC, o.id DESC",
                        OrderEntity.class)
                .setParameter("customerId", customerId)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList()
                .map(rows -> rows.stream().map(PostgresOrderStore::toDomain).collect(Collectors.toList()));
    }

    private static Uni<Long> countOfCustomer(Mutiny.Session session, String customerId) {
        return session.createSelectionQuery("SELECT count(o) FROM OrderEntity o WHERE o.customerId = :customerId",
                        Long.class)
                .setParameter("customerId", customerId)
                .getSingleResult();
    }

    private static Order toDomain(OrderEntity e) {
        return new Order(e.id, e.customerId,
                e.lines.lines().stream().map(l -> new OrderLine(l.sku(), l.quantity())).collect(Collectors.toList()),
                e.placedAt, OrderStatus.valueOf(e.status),
                e.rejectionReason == null ? null : RejectionReason.valueOf(e.rejectionReason), e.totalCents);
    }
}
