package io.shopflow.saga.domain;

import java.util.List;

/**
 * What the saga reacts to: participants' replies, its deadline, and operators. Replies are
 * mapped from Avro at the messaging boundary; the domain never sees Avro.
 */
public sealed interface SagaInput {

    record StockReserved(long totalCents) implements SagaInput {
    }

    record StockReservationFailed(List<String> shortSkus) implements SagaInput {
    }

    record StockReleased() implements SagaInput {
    }

    record PaymentAuthorized(String authorizationId, long amountCents) implements SagaInput {
    }

    /** {@code unavailable}: the provider could not be reached, as opposed to a refusal. */
    record PaymentDeclined(boolean unavailable, String detail) implements SagaInput {
    }

    record PaymentVoided() implements SagaInput {
    }

    record OrderApproved() implements SagaInput {
    }

    record OrderRejected() implements SagaInput {
    }

    /**
     * The current step's deadline passed without its reply.
     *
     * @param mayBeQueued   the step's command or its reply may still wait in a healthy queue (ADR 8):
     *                      the command is late, not lost
     * @param resendAllowed the deadline scan may still resend in this pass; when false a resend waits
     *                      for a later scan, so that resends stay capped in flight
     */
    record DeadlineExpired(boolean mayBeQueued, boolean resendAllowed) implements SagaInput {
    }

    /** An operator asks a STUCK saga to try its current step again. */
    record OperatorRetry() implements SagaInput {
    }

    /** An operator gives up on a saga that is not final: compensate and reject as ABORTED. */
    record OperatorAbort() implements SagaInput {
    }
}
