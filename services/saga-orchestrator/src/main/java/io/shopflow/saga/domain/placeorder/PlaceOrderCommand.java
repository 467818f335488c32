package io.shopflow.saga.domain.placeorder;

import java.util.List;

/** Commands the saga sends to participants. Each is idempotent on the participant's side. */
public sealed interface PlaceOrderCommand {

    record ReserveStock(List<OrderLine> items) implements PlaceOrderCommand {
    }

    record ReleaseStock() implements PlaceOrderCommand {
    }

    record AuthorizePayment(String customerId, long amountCents) implements PlaceOrderCommand {
    }

    record VoidPayment() implements PlaceOrderCommand {
    }

    record ApproveOrder(long totalCents) implements PlaceOrderCommand {
    }

    record RejectOrder(RejectionReason reason) implements PlaceOrderCommand {
    }
}
