package io.shopflow.order.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.order.domain.Order;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;

import java.time.Instant;
import java.util.stream.Collectors;

/** Maps the Order aggregate to the order-service's Avro events (the boundary of the domain). */
public final class OrderMessages {

    public static final String AGGREGATE_TYPE = "Order";

    private OrderMessages() {
    }

    /** {@code OrderPlaced}: the first message of the order's saga (correlation id = order id). */
    public static OutboxMessage placed(Order order, Instant now) {
        OrderPlaced event = OrderPlaced.newBuilder()
                .setMetadata(Metadata.newMessage(order.id().toString(), null, now))
                .setOrderId(order.id())
                .setCustomerId(order.customerId())
                .setItems(order.lines().stream().map(l -> new OrderLine(l.sku(), l.quantity()))
                        .collect(Collectors.toList()))
                .build();
        return new OutboxMessage(AGGREGATE_TYPE, order.id().toString(), Topics.ORDER_EVENTS, event);
    }
}
