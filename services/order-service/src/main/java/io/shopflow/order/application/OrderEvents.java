package io.shopflow.order.application;

import io.shopflow.order.domain.Order;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;

/**
 * Port: the messages an order sends, appended to the outbox in the caller's unit of work, so that
 * they commit, or roll back, with the state change that causes them. Each is keyed and correlated
 * by the order id, so that the saga and the relay keep one order's messages together and in order.
 */
public interface OrderEvents {

    /** {@code OrderPlaced}: the first message of the order's saga. */
    Uni<Void> placed(UnitOfWork work, Order order);

    /** {@code OrderApproved}, caused by the command with message id {@code causationId}. */
    Uni<Void> approved(UnitOfWork work, Order order, String causationId);

    /** {@code OrderRejected}, caused by the command with message id {@code causationId}. */
    Uni<Void> rejected(UnitOfWork work, Order order, String causationId);
}
