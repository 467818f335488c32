package io.shopflow.order.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.order.application.OrderEvents;
import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.RejectionReason;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;

import java.time.Clock;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@link OrderEvents} as the order-service's Avro messages in the outbox: the boundary where the
 * domain meets the contracts. Every message is keyed by the order id and correlated by it, so that
 * the saga and the relay keep one order's messages together and in order.
 */
@ApplicationScoped
public class OrderMessages implements OrderEvents {

    public static final String AGGREGATE_TYPE = "Order";

    private final OutboxWriter outbox;
    private final Clock clock;

    protected OrderMessages(OutboxWriter outbox, Clock clock) {
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Uni<Void> placed(UnitOfWork work, Order order) {
        return append(work, () -> orderPlaced(order));
    }

    @Override
    public Uni<Void> approved(UnitOfWork work, Order order, String causationId) {
        return append(work, () -> orderApproved(order, causationId));
    }

    @Override
    public Uni<Void> rejected(UnitOfWork work, Order order, String causationId) {
        return append(work, () -> orderRejected(order, causationId));
    }

    /** Maps, then appends: a message that cannot be mapped fails the unit of work like a refused row. */
    private Uni<Void> append(UnitOfWork work, Supplier<OutboxMessage> message) {
        return Uni.createFrom().item(message).chain(m -> outbox.append(work.session(), m));
    }

    /** {@code OrderPlaced}: the first message of the order's saga (correlation id = order id). */
    protected OutboxMessage orderPlaced(Order order) {
        OrderPlaced event = OrderPlaced.newBuilder()
                .setMetadata(Metadata.newMessage(order.id().toString(), null, clock.instant()))
                .setOrderId(order.id())
                .setCustomerId(order.customerId())
                .setItems(order.lines().stream().map(l -> new OrderLine(l.sku(), l.quantity()))
                        .collect(Collectors.toList()))
                .build();
        return event(order, event);
    }

    private OutboxMessage orderApproved(Order order, String causationId) {
        return event(order, OrderApproved.newBuilder()
                .setMetadata(Metadata.newMessage(order.id().toString(), causationId, clock.instant()))
                .setOrderId(order.id())
                .setCustomerId(order.customerId())
                .setTotalCents(order.totalCents().orElseThrow(() -> notSettled(order)))
                .build());
    }

    private OutboxMessage orderRejected(Order order, String causationId) {
        RejectionReason reason = order.rejectionReason().orElseThrow(() -> notSettled(order));
        return event(order, OrderRejected.newBuilder()
                .setMetadata(Metadata.newMessage(order.id().toString(), causationId, clock.instant()))
                .setOrderId(order.id())
                .setCustomerId(order.customerId())
                .setReason(io.shopflow.contracts.common.RejectionReason.valueOf(reason.name()))
                .build());
    }

    private static OutboxMessage event(Order order, SpecificRecord event) {
        return new OutboxMessage(AGGREGATE_TYPE, order.id().toString(), Topics.ORDER_EVENTS, event);
    }

    private static IllegalStateException notSettled(Order order) {
        return new IllegalStateException("order " + order.id() + " is " + order.status());
    }
}
