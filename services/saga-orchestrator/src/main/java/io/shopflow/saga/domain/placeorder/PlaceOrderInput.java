package io.shopflow.saga.domain.placeorder;

import java.util.List;

/**
 * What the saga reacts to: participants' replies, its deadline, and operators. Replies are
 * mapped from Avro at the messaging boundary; the domain never sees Avro.
 */
public sealed interface PlaceOrderInput {

    record StockReserved(long totalCents) implements PlaceOrderInput {
    }

    record StockReservationFailed(List<String> shortSkus) implements PlaceOrderInput {
    }

    record StockReleased() implements PlaceOrderInput {
    }

    record PaymentAuthorized(String authorizationId, long amountCents) implements PlaceOrderInput {
    }

    /** {@code unavailable}: the provider could not be reached, as opposed to a refusal. */
    record PaymentDeclined(boolean unavailable, String detail) implements PlaceOrderInput {
    }

    record PaymentVoided() implements PlaceOrderInput {
    }

    record OrderApproved() implements PlaceOrderInput {
    }

    record OrderRejected() implements PlaceOrderInput {
    }

    /**
     * The current step's deadline passed without its reply.
     *
     * @param mayBeQueued   the step's command or its reply may still wait in a healthy queue (ADR 8):
     *                      the command is late, not lost
     * @param resendAllowed the deadline scan may still resend in this pass; when false a resend waits
     *                      for a later scan, so that resends stay capped in flight
     */
    record DeadlineExpired(boolean mayBeQueued, boolean resendAllowed) implements PlaceOrderInput {
    }

    /** An operator asks a STUCK saga to try its current step again. */
    record OperatorRetry() implements PlaceOrderInput {
    }

    /** An operator gives up on a saga that is not final: compensate and reject as ABORTED. */
    record OperatorAbort() implements PlaceOrderInput {
    }
}
