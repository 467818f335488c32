package io.shopflow.saga.domain;

import java.util.List;

/** Commands the saga sends to participants. Each is idempotent on the participant's side. */
public sealed interface SagaCommand {

    record ReserveStock(List<OrderLine> items) implements SagaCommand {
    }

    record ReleaseStock() implements SagaCommand {
    }

    record AuthorizePayment(String customerId, long amountCents) implements SagaCommand {
    }

    record VoidPayment() implements SagaCommand {
    }

    record ApproveOrder(long totalCents) implements SagaCommand {
    }

    record RejectOrder(RejectionReason reason) implements SagaCommand {
    }
}
