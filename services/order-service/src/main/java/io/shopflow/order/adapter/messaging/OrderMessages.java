package io.shopflow.order.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.order.domain.Order;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.stream.Collectors;

/**
 * Maps the Order aggregate to the order-service's Avro messages: the boundary where the domain
 * meets the contracts. A bean, so that the placing transaction calls it after the order insert
 * (tests replace it to fail there).
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
        return new OutboxMessage(AGGREGATE_TYPE, order.id().toString(), Topics.ORDER_EVENTS, event);
    }
}
