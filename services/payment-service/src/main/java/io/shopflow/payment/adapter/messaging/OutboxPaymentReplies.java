package io.shopflow.payment.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.RejectionReason;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.contracts.payment.PaymentDeclined;
import io.shopflow.contracts.payment.PaymentVoided;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.payment.application.PaymentReplies;
import io.shopflow.payment.domain.Payment;
import io.smallrye.mutiny.Uni;
import org.apache.avro.specific.SpecificRecord;

import java.time.Clock;
import java.util.UUID;

/** The replies to one command, as payment events appended to the outbox, caused by that command. */
record OutboxPaymentReplies(OutboxWriter outbox, Clock clock, MessageMetadata cause) implements PaymentReplies {

    private static final String AGGREGATE_TYPE = "Payment";

    @Override
    public Uni<Void> decided(UnitOfWork work, Payment payment) {
        UUID orderId = payment.orderId();
        SpecificRecord event = switch (payment.status()) {
            case AUTHORIZED -> PaymentAuthorized.newBuilder().setMetadata(next()).setOrderId(orderId)
                    .setAuthorizationId(payment.authorizationId()).setAmountCents(payment.amountCents()).build();
            case UNAVAILABLE -> declined(orderId, RejectionReason.PAYMENT_UNAVAILABLE, payment.detail());
            // DECLINED, or VOIDED before any authorization: nothing is held, the order cannot be paid.
            case DECLINED, VOIDED -> declined(orderId, RejectionReason.PAYMENT_DECLINED, payment.detail());
        };
        return append(work, orderId, event);
    }

    @Override
    public Uni<Void> voided(UnitOfWork work, Payment payment) {
        UUID orderId = payment.orderId();
        return append(work, orderId, PaymentVoided.newBuilder().setMetadata(next()).setOrderId(orderId).build());
    }

    private PaymentDeclined declined(UUID orderId, RejectionReason reason, String detail) {
        return PaymentDeclined.newBuilder().setMetadata(next()).setOrderId(orderId).setReason(reason)
                .setDetail(detail).build();
    }

    private MessageMetadata next() {
        return Metadata.causedBy(cause, clock.instant());
    }

    private Uni<Void> append(UnitOfWork work, UUID orderId, SpecificRecord event) {
        return outbox.append(work.session(),
                new OutboxMessage(AGGREGATE_TYPE, orderId.toString(), Topics.PAYMENT_EVENTS, event));
    }
}
