package io.shopflow.payment.domain;

import java.util.Optional;
import java.util.UUID;

/**
 * Payment rules. Authorization is two-phase around the provider call: {@link #check} decides
 * whether to call the provider at all, {@link #authorized} / {@link #unavailable} record its
 * answer. Repeated commands return the recorded payment.
 */
public final class Payments {

    private Payments() {
    }

    /** What to do with an AuthorizePayment. */
    public sealed interface Check {
        /** Already decided for this order: answer with it again. */
        record Decided(Payment payment) implements Check {
        }

        /** Over the available credit: declined without calling the provider. */
        record Declined(Payment payment) implements Check {
        }

        /** Covered: ask the provider. */
        record AskProvider() implements Check {
        }
    }

    public static Check check(UUID orderId, String customerId, long amountCents, CreditAccount account,
                              Optional<Payment> existing) {
        if (existing.isPresent()) {
            return new Check.Decided(existing.get());
        }
        if (!account.covers(amountCents)) {
            return new Check.Declined(new Payment(orderId, customerId, amountCents, Payment.Status.DECLINED, null,
                    "amount " + amountCents + " exceeds available credit " + account.availableCents()));
        }
        return new Check.AskProvider();
    }

    /** The provider authorized: hold the credit. */
    public static Payment authorized(UUID orderId, String customerId, long amountCents, String authorizationId,
                                     CreditAccount account) {
        account.hold(amountCents);
        return new Payment(orderId, customerId, amountCents, Payment.Status.AUTHORIZED, authorizationId, null);
    }

    /** The provider stayed unreachable: nothing is held. */
    public static Payment unavailable(UUID orderId, String customerId, long amountCents, String detail) {
        return new Payment(orderId, customerId, amountCents, Payment.Status.UNAVAILABLE, null, detail);
    }

    /**
     * Voids the order's authorization and restores the credit; an order without a payment gets
     * a VOIDED one so that a late AuthorizePayment is not authorized.
     */
    public static Payment voided(UUID orderId, String customerId, CreditAccount account, Optional<Payment> existing) {
        if (existing.isEmpty()) {
            return new Payment(orderId, customerId, 0, Payment.Status.VOIDED, null, "voided before any authorization");
        }
        Payment p = existing.get();
        if (p.status() == Payment.Status.AUTHORIZED) {
            account.restore(p.amountCents());
        }
        return p.status() == Payment.Status.AUTHORIZED || p.status() == Payment.Status.VOIDED
                ? new Payment(p.orderId(), p.customerId(), p.amountCents(), Payment.Status.VOIDED, p.authorizationId(),
                p.detail())
                : p;
    }
}
