package io.shopflow.order.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.RejectionReason;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;

import java.time.Clock;
import java.util.stream.Collectors;

/**
 * Maps the Order aggregate to the order-service's Avro messages: the boundary where the domain
 * meets the contracts. A bean, so that the placing transaction calls it after the order insert
 * (tests replace it to fail there). Every message is keyed by the order id and correlated by it,
 * so that the saga and the relay keep one order's messages together and in order.
 */
@ApplicationScoped
public class OrderMessages {

    public static final String AGGREGATE_TYPE = "Order";

    private final Clock clock;

    OrderMessages(Clock clock) {
        this.clock = clock;
    }

    /** {@code OrderPlaced}: the first message of the order's saga (correlation id = order id). */
    public OutboxMessage placed(Order order) {
        OrderPlaced event = OrderPlaced.newBuilder()
                .setMetadata(Metadata.newMessage(order.id().toString(), null, clock.instant()))
                .setOrderId(order.id())
                .setCustomerId(order.customerId())
                .setItems(order.lines().stream().map(l -> new OrderLine(l.sku(), l.quantity()))
                        .collect(Collectors.toList()))
                .build();
        return event(order, event);
    }

    /** {@code OrderApproved}, caused by the command with message id {@code causationId}. */
    public OutboxMessage approved(Order order, String causationId) {
        return event(order, OrderApproved.newBuilder()
                .setMetadata(Metadata.newMessage(order.id().toString(), causationId, clock.instant()))
                .setOrderId(order.id())
                .setCustomerId(order.customerId())
                .setTotalCents(order.totalCents().orElseThrow(() -> notSettled(order)))
                .build());
    }

    /** {@code OrderRejected}, caused by the command with message id {@code causationId}. */
    public OutboxMessage rejected(Order order, String causationId) {
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
