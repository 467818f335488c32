package io.shopflow.contracts;

import java.util.List;

/**
 * Kafka topic names: {@code shopflow.<service>.<commands|events>.v<N>}, each owned by one
 * service. Never derive a topic from a class name; a breaking change gets a new version.
 */
public final class Topics {

    public static final String ORDER_EVENTS = "shopflow.order.events.v1";
    public static final String ORDER_COMMANDS = "shopflow.order.commands.v1";
    public static final String INVENTORY_EVENTS = "shopflow.inventory.events.v1";
    public static final String INVENTORY_COMMANDS = "shopflow.inventory.commands.v1";
    public static final String PAYMENT_EVENTS = "shopflow.payment.events.v1";
    public static final String PAYMENT_COMMANDS = "shopflow.payment.commands.v1";
    public static final String NOTIFICATION_EVENTS = "shopflow.notification.events.v1";
    public static final String SAGA_EVENTS = "shopflow.saga.events.v1";

    /** Every topic above, for provisioning. */
    public static final List<String> ALL = List.of(ORDER_EVENTS, ORDER_COMMANDS, INVENTORY_EVENTS,
            INVENTORY_COMMANDS, PAYMENT_EVENTS, PAYMENT_COMMANDS, NOTIFICATION_EVENTS, SAGA_EVENTS);

    private Topics() {
    }
}
