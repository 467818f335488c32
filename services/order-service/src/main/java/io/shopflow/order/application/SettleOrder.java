package io.shopflow.order.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.RejectionReason;
import io.shopflow.order.domain.Transition;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Ends an order's saga with the outcome its command carries, in the caller's unit of work (the
 * one that also records the command in the inbox): the order is locked, and only when the
 * order leaves PENDING is it updated and its {@code OrderApproved} / {@code OrderRejected}
 * sent. A repeated or late command writes nothing.
 */
@ApplicationScoped
public class SettleOrder {

    private static final Logger LOG = Logger.getLogger(SettleOrder.class);

    private final OrderStore orders;
    private final OrderEvents events;
    private final Clock clock;
    private final Counter approved;
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);

    SettleOrder(OrderStore orders, OrderEvents events, Clock clock, MeterRegistry registry) {
        this.orders = orders;
        this.events = events;
        this.clock = clock;
        // Prometheus: shopflow_orders_approved_total, shopflow_orders_rejected_total{reason}
        this.approved = Counter.builder("shopflow.orders.approved").description("Orders that became APPROVED")
                .register(registry);
        // Every reason registered up front, so that a dashboard shows 0 rather than no series.
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(reason, Counter.builder("shopflow.orders.rejected").tag("reason", reason.name())
                    .description("Orders that became REJECTED, by reason").register(registry));
        }
    }

    /** Approves order {@code orderId}; empty when there is no such order. */
    public Uni<Optional<Transition>> approve(UnitOfWork work, UUID orderId, long totalCents, String causationId) {
        return settle(work, orderId, "ApproveOrder", order -> order.approve(totalCents),
                order -> events.approved(work, order, causationId), order -> approved.increment());
    }

    /** Rejects order {@code orderId}; empty when there is no such order. */
    public Uni<Optional<Transition>> reject(UnitOfWork work, UUID orderId, RejectionReason reason,
                                            String causationId) {
        return settle(work, orderId, "RejectOrder", order -> order.reject(reason),
                order -> events.rejected(work, order, causationId), order -> rejected.get(reason).increment());
    }

    private Uni<Optional<Transition>> settle(UnitOfWork work, UUID orderId, String command,
                                             Function<Order, Transition> decide,
                                             Function<Order, Uni<Void>> announce,
                                             Consumer<Order> count) {
        return orders.lock(work, orderId).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Optional.<Transition>empty());
            }
            Order order = found.get();
            Transition transition = decide.apply(order);
            if (transition == Transition.IGNORED) {
                // The saga sends one outcome per order, so this points at a bug or an operator's replay.
                LOG.warnf("%s for order %s ignored: the order is already %s", command, orderId, order.status());
            }
            if (transition != Transition.APPLIED) {
                return Uni.createFrom().item(Optional.of(transition));
            }
            // Counted once the transaction's writes succeeded; a failing commit is retried by the
            // consumer and may count again, an accepted imprecision of a counter (as in the saga).
            return orders.update(work, order, clock.instant())
                    .chain(() -> announce.apply(order))
                    .invoke(() -> count.accept(order))
                    .replaceWith(Optional.of(transition));
        });
    }
}
