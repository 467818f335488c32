package io.shopflow.payment;

import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.outbox.Metadata;

import java.time.Instant;
import java.util.UUID;

/** The commands payment-service's tests send it over Kafka, and the customers they are for. */
final class PaymentCommandsFixture {

    private PaymentCommandsFixture() {
    }

    /** A customer no other test has used: its account starts with the whole credit limit. */
    static String newCustomer() {
        return "c-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new AuthorizePayment (a new message id) for {@code order}. */
    static AuthorizePayment authorize(UUID order, String customer, long amountCents) {
        return AuthorizePayment.newBuilder().setMetadata(meta(order)).setOrderId(order).setCustomerId(customer)
                .setAmountCents(amountCents).build();
    }

    /** Metadata of a new message about {@code order}. */
    static MessageMetadata meta(UUID order) {
        return Metadata.newMessage(order.toString(), null, Instant.now());
    }
}
