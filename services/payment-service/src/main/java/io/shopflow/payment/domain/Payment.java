package io.shopflow.payment.domain;

import java.util.UUID;

/**
 * The payment of one order; at most one per order. Declined and voided payments are kept so
 * that a repeated command is answered the same way without a second authorization.
 */
public record Payment(UUID orderId, String customerId, long amountCents, Status status, String authorizationId,
                      String detail) {

    public enum Status { AUTHORIZED, DECLINED, UNAVAILABLE, VOIDED }
}
