package io.shopflow.contracts;

import io.shopflow.contracts.inventory.ReleaseStock;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.contracts.inventory.StockReleased;
import io.shopflow.contracts.inventory.StockReservationFailed;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.contracts.notification.CustomerNotified;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.contracts.order.RejectOrder;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.contracts.payment.PaymentDeclined;
import io.shopflow.contracts.payment.PaymentVoided;
import io.shopflow.contracts.payment.VoidPayment;
import io.shopflow.contracts.saga.SagaCompleted;
import org.apache.avro.specific.SpecificRecordBase;

import java.util.List;
import java.util.Map;

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

    /**
     * The message types each topic carries; each type of {@link Messages#ALL} goes to exactly one
     * topic. Consumers refuse (dead-letter) a message of another type: it was not produced by the
     * topic's owner.
     */
    private static final Map<String, List<Class<? extends SpecificRecordBase>>> CARRIED = Map.of(
            ORDER_EVENTS, List.of(OrderPlaced.class, OrderApproved.class, OrderRejected.class),
            ORDER_COMMANDS, List.of(ApproveOrder.class, RejectOrder.class),
            INVENTORY_EVENTS, List.of(StockReserved.class, StockReservationFailed.class, StockReleased.class),
            INVENTORY_COMMANDS, List.of(ReserveStock.class, ReleaseStock.class),
            PAYMENT_EVENTS, List.of(PaymentAuthorized.class, PaymentDeclined.class, PaymentVoided.class),
            PAYMENT_COMMANDS, List.of(AuthorizePayment.class, VoidPayment.class),
            NOTIFICATION_EVENTS, List.of(CustomerNotified.class),
            SAGA_EVENTS, List.of(SagaCompleted.class));

    private Topics() {
    }

    /** The message types {@code topic} carries; none for a topic not listed here. */
    public static List<Class<? extends SpecificRecordBase>> carried(String topic) {
        return CARRIED.getOrDefault(topic, List.of());
    }

    /**
     * Whether {@code topic} carries messages named {@code fullName} (by name: in Quarkus tests a
     * generated class can exist twice, in two class loaders).
     */
    public static boolean carries(String topic, String fullName) {
        return carried(topic).stream().anyMatch(type -> type.getName().equals(fullName));
    }
}
