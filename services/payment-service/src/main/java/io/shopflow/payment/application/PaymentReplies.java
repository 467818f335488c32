package io.shopflow.payment.application;

import io.shopflow.outbox.UnitOfWork;
import io.shopflow.payment.domain.Payment;
import io.smallrye.mutiny.Uni;

/**
 * The outgoing messages (port): the answers to the saga's command being handled. The consumer
 * hands one per command, since an answer is caused by that command; it leaves in the unit of
 * work the use case passes, so that it commits with the state change it reports.
 */
public interface PaymentReplies {

    /** The answer to an AuthorizePayment: the order's payment as decided (now or by an earlier command). */
    Uni<Void> decided(UnitOfWork work, Payment payment);

    /** The answer to a VoidPayment. */
    Uni<Void> voided(UnitOfWork work, Payment payment);
}
