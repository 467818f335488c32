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

/**
 * Every top-level message type of the platform. The catalog serde resolves writer schemas
 * from these classes (and their released history); a test keeps this list equal to the
 * schemas in {@code src/main/avro}.
 */
public final class Messages {

    public static final List<Class<? extends SpecificRecordBase>> ALL = List.of(
            OrderPlaced.class, OrderApproved.class, OrderRejected.class, ApproveOrder.class, RejectOrder.class,
            ReserveStock.class, ReleaseStock.class, StockReserved.class, StockReservationFailed.class,
            StockReleased.class,
            AuthorizePayment.class, VoidPayment.class, PaymentAuthorized.class, PaymentDeclined.class,
            PaymentVoided.class,
            CustomerNotified.class,
            SagaCompleted.class);

    private Messages() {
    }
}
