package io.shopflow.order.application;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.OrderLine;
import io.shopflow.order.domain.OrderStatus;
import io.shopflow.order.domain.RejectionReason;
import io.shopflow.order.domain.Transition;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SettleOrder} as ADR 15 makes it: a plain class, built here with in-memory ports and a unit
 * of work that is never opened, without Quarkus, Kafka or a database. Every port call must receive
 * the unit of work the consumer handed in, which is how the order's update and its message commit
 * together with the inbox entry.
 */
class SettleOrderTest {

    /** The consumer's transaction as a use case sees it: passed on to every port, never opened. */
    private static final UnitOfWork WORK = () -> {
        throw new AssertionError("a use case passes its unit of work on; only adapters open it");
    };
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private final List<String> journal = new ArrayList<>();
    private final InMemoryOrders orders = new InMemoryOrders();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void storesAndAnnouncesTheOutcomeInTheUnitOfWorkItIsHanded() {
        Order order = orders.add(pending("alice"));

        Optional<Transition> done = settle(new JournalledEvents()).approve(WORK, order.id(), 2599, "command-1")
                .await().indefinitely();

        assertThat(done).contains(Transition.APPLIED);
        assertThat(journal).containsExactly("lock " + order.id(), "update " + order.id() + " APPROVED at " + NOW,
                "OrderApproved " + order.id() + " caused by command-1");
        assertThat(orders.stored(order.id()).totalCents()).contains(2599L);
        assertThat(approvedCount()).isEqualTo(1);
    }

    @Test
    void aRepeatedOrLateCommandWritesSendsAndCountsNothing() {
        Order order = orders.add(pending("bob"));
        SettleOrder settle = settle(new JournalledEvents());
        settle.reject(WORK, order.id(), RejectionReason.OUT_OF_STOCK, "command-1").await().indefinitely();
        journal.clear();

        assertThat(settle.reject(WORK, order.id(), RejectionReason.TIMEOUT, "command-2").await().indefinitely())
                .contains(Transition.REPEATED);
        assertThat(settle.approve(WORK, order.id(), 100, "command-3").await().indefinitely())
                .contains(Transition.IGNORED);

        assertThat(journal).containsExactly("lock " + order.id(), "lock " + order.id());
        assertThat(orders.stored(order.id()).rejectionReason()).contains(RejectionReason.OUT_OF_STOCK);
        assertThat(rejectedCount(RejectionReason.OUT_OF_STOCK)).isEqualTo(1);
        assertThat(rejectedCount(RejectionReason.TIMEOUT)).isZero();
        assertThat(approvedCount()).isZero();
    }

    @Test
    void anOutcomeThatCannotBeAnnouncedFailsTheUnitOfWorkAndIsNotCounted() {
        Order order = orders.add(pending("carol"));
        IllegalStateException refused = new IllegalStateException("outbox refused (test)");
        OrderEvents failing = new JournalledEvents() {
            @Override
            public Uni<Void> approved(UnitOfWork work, Order approved, String causationId) {
                return Uni.createFrom().failure(refused);
            }
        };

        assertThatThrownBy(() -> settle(failing).approve(WORK, order.id(), 500, "command-1").await().indefinitely())
                .isSameAs(refused);
        assertThat(approvedCount()).as("counted only once the writes succeeded").isZero();
    }

    private SettleOrder settle(OrderEvents events) {
        return new SettleOrder(orders, events, Clock.fixed(NOW, ZoneOffset.UTC), registry);
    }

    private static Order pending(String customerId) {
        return Order.place(customerId, List.of(new OrderLine("SKU-1", 1)), NOW.minusSeconds(2));
    }

    private double approvedCount() {
        return registry.counter("shopflow.orders.approved").count();
    }

    private double rejectedCount(RejectionReason reason) {
        return registry.counter("shopflow.orders.rejected", "reason", reason.name()).count();
    }

    private static void requireHanded(UnitOfWork work) {
        assertThat(work).as("the unit of work the consumer handed in").isSameAs(WORK);
    }

    /** Orders by id, as copies: a change reaches the store only through {@link #update}, as with a database. */
    private final class InMemoryOrders implements OrderStore {

        private final Map<UUID, Order> rows = new HashMap<>();

        Order add(Order order) {
            rows.put(order.id(), copy(order));
            return order;
        }

        Order stored(UUID id) {
            return rows.get(id);
        }

        @Override
        public Uni<Void> insert(UnitOfWork work, Order order) {
            throw new AssertionError("settling inserts no order");
        }

        @Override
        public Uni<Optional<Order>> find(UnitOfWork work, UUID id) {
            throw new AssertionError("settling reads an order only locked");
        }

        @Override
        public Uni<Optional<Order>> lock(UnitOfWork work, UUID id) {
            requireHanded(work);
            journal.add("lock " + id);
            return Uni.createFrom().item(Optional.ofNullable(rows.get(id)).map(InMemoryOrders::copy));
        }

        @Override
        public Uni<Void> update(UnitOfWork work, Order order, Instant now) {
            requireHanded(work);
            journal.add("update " + order.id() + " " + order.status() + " at " + now);
            rows.put(order.id(), copy(order));
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Optional<Order>> find(UUID id) {
            throw new AssertionError("settling reads nothing outside its unit of work");
        }

        @Override
        public Uni<OrderPage> pageOfCustomer(String customerId, int offset, int limit) {
            throw new AssertionError("settling lists no orders");
        }

        private static Order copy(Order o) {
            return new Order(o.id(), o.customerId(), o.lines(), o.placedAt(), o.status(),
                    o.rejectionReason().orElse(null), o.totalCents().orElse(null));
        }
    }

    /** The messages sent, in the journal beside the store's writes. */
    private class JournalledEvents implements OrderEvents {

        @Override
        public Uni<Void> placed(UnitOfWork work, Order order) {
            throw new AssertionError("settling places no order");
        }

        @Override
        public Uni<Void> approved(UnitOfWork work, Order order, String causationId) {
            return sent(work, "OrderApproved", order, causationId);
        }

        @Override
        public Uni<Void> rejected(UnitOfWork work, Order order, String causationId) {
            return sent(work, "OrderRejected", order, causationId);
        }

        private Uni<Void> sent(UnitOfWork work, String type, Order order, String causationId) {
            requireHanded(work);
            assertThat(order.status()).as("announced once settled").isNotEqualTo(OrderStatus.PENDING);
            journal.add(type + " " + order.id() + " caused by " + causationId);
            return Uni.createFrom().voidItem();
        }
    }
}
