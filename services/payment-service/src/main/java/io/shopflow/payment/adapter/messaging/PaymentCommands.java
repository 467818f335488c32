package io.shopflow.payment.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.RejectionReason;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.contracts.payment.PaymentDeclined;
import io.shopflow.contracts.payment.PaymentVoided;
import io.shopflow.contracts.payment.VoidPayment;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.payment.application.PaymentAuthorizations;
import io.shopflow.payment.domain.Payment;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.util.UUID;

/**
 * AuthorizePayment and VoidPayment in, their replies out through the outbox (same transaction);
 * consumed as the {@code payment-service} group.
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.PAYMENT, topics = Topics.PAYMENT_COMMANDS)
class PaymentCommands implements MessageHandler {

    static final String AGGREGATE_TYPE = "Payment";

    private final PaymentAuthorizations payments;
    private final OutboxWriter outbox;
    private final Clock clock;

    PaymentCommands(PaymentAuthorizations payments, OutboxWriter outbox, Clock clock) {
        this.payments = payments;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public Uni<Void> handle(Mutiny.Session session, SpecificRecord message, MessageMetadata metadata) {
        if (message instanceof AuthorizePayment authorize) {
            UUID orderId = authorize.getOrderId();
            return payments.authorize(session, orderId, authorize.getCustomerId(), authorize.getAmountCents())
                    .chain(payment -> outbox.append(session, reply(payment, metadata)));
        }
        if (message instanceof VoidPayment voidPayment) {
            UUID orderId = voidPayment.getOrderId();
            return payments.voidPayment(session, orderId).chain(voided -> outbox.append(session, event(orderId,
                    PaymentVoided.newBuilder().setMetadata(next(metadata)).setOrderId(orderId).build())));
        }
        return Uni.createFrom().voidItem();
    }

    private OutboxMessage reply(Payment payment, MessageMetadata cause) {
        UUID orderId = payment.orderId();
        switch (payment.status()) {
            case AUTHORIZED:
                return event(orderId, PaymentAuthorized.newBuilder().setMetadata(next(cause)).setOrderId(orderId)
                        .setAuthorizationId(payment.authorizationId()).setAmountCents(payment.amountCents()).build());
            case UNAVAILABLE:
                return event(orderId, declined(orderId, RejectionReason.PAYMENT_UNAVAILABLE, payment.detail(), cause));
            default:
                // DECLINED, or VOIDED before any authorization: nothing is held, the order cannot be paid.
                return event(orderId, declined(orderId, RejectionReason.PAYMENT_DECLINED, payment.detail(), cause));
        }
    }

    private PaymentDeclined declined(UUID orderId, RejectionReason reason, String detail, MessageMetadata cause) {
        return PaymentDeclined.newBuilder().setMetadata(next(cause)).setOrderId(orderId).setReason(reason)
                .setDetail(detail).build();
    }

    private MessageMetadata next(MessageMetadata cause) {
        return Metadata.causedBy(cause, clock.instant());
    }

    private static OutboxMessage event(UUID orderId, SpecificRecord event) {
        return new OutboxMessage(AGGREGATE_TYPE, orderId.toString(), Topics.PAYMENT_EVENTS, event);
    }
}
