package io.shopflow.order.application;

import io.shopflow.order.domain.Order;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Port: the orders. What a use case changes, and what it reads to decide, runs in the caller's unit
 * of work; the reads of the order API need no transaction and run outside any.
 */
public interface OrderStore {

    /** Inserts the order; it exists before anything else the unit of work writes after it. */
    Uni<Void> insert(UnitOfWork work, Order order);

    Uni<Optional<Order>> find(UnitOfWork work, UUID id);

    /**
     * The order, locked until the unit of work ends: two commands for one order (the main and the
     * retry consumer run side by side) take turns, and the second sees what the first decided.
     */
    Uni<Optional<Order>> lock(UnitOfWork work, UUID id);

    /**
     * Writes back the outcome of an order loaded with {@link #lock} in this unit of work; a writer
     * that bypassed the lock makes it fail rather than be overwritten.
     */
    Uni<Void> update(UnitOfWork work, Order order, Instant now);

    /** The order, read outside any transaction. */
    Uni<Optional<Order>> find(UUID id);

    /**
     * Up to {@code limit} of a customer's orders, newest first, from {@code offset} (pages neither
     * repeat nor skip an order), and how many the customer has in all; read outside any transaction.
     */
    Uni<OrderPage> pageOfCustomer(String customerId, int offset, int limit);
}
