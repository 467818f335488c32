package io.shopflow.payment.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.VoidPayment;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.cdi.ConsumerBinding;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.payment.application.PaymentAuthorizations;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;

/**
 * AuthorizePayment and VoidPayment in, as calls of {@link PaymentAuthorizations} in the consumer's transaction,
 * their replies out through the outbox ({@link OutboxPaymentReplies}); consumed as the {@code payment-service} group.
 */
@ApplicationScoped
@ConsumerBinding(group = ConsumerGroups.PAYMENT, topics = Topics.PAYMENT_COMMANDS)
class PaymentCommands implements MessageHandler {

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
        UnitOfWork work = UnitOfWork.of(session);
        OutboxPaymentReplies replies = new OutboxPaymentReplies(outbox, clock, metadata);
        if (message instanceof AuthorizePayment authorize) {
            return payments.authorize(work, authorize.getOrderId(), authorize.getCustomerId(),
                    authorize.getAmountCents(), replies).replaceWithVoid();
        }
        if (message instanceof VoidPayment voidPayment) {
            return payments.voidPayment(work, voidPayment.getOrderId(), replies).replaceWithVoid();
        }
        return Uni.createFrom().voidItem();
    }
}
