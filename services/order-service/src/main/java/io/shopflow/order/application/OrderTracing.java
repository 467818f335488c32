package io.shopflow.order.application;

import io.smallrye.mutiny.Uni;

import java.util.UUID;
import java.util.function.Supplier;

/** The spans of an order's work in its trace (ADR 6). */
public interface OrderTracing {

    /**
     * {@code transaction}, which runs one transaction for order {@code orderId}, in a
     * {@code transaction <name>} span that is current while it runs, so that the outbox rows it
     * writes carry it; the span ends when the transaction has committed or rolled back.
     */
    <T> Uni<T> inTransactionSpan(String name, UUID orderId, Supplier<Uni<T>> transaction);
}
