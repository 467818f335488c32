package io.shopflow.notification.domain;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/** Composes the notification of an order outcome. */
public final class Notifications {

    public static final String EMAIL = "EMAIL";

    private Notifications() {
    }

    /**
     * @param reason the rejection reason as the order API spells it (e.g. {@code OUT_OF_STOCK}),
     *               null for an approval
     * @param recipientDomain the mail domain of customer addresses, e.g. {@code customers.shopflow.local}
     */
    public static Notification compose(UUID orderId, String customerId, Outcome outcome, String reason,
                                       String recipientDomain, Instant now) {
        String subject;
        String body;
        if (outcome == Outcome.APPROVED) {
            subject = "Your order " + orderId + " is confirmed";
            body = "Hello " + customerId + ",\n\nyour order " + orderId + " is confirmed: the items are reserved "
                    + "and the payment is authorized.\n\nShopflow";
        } else {
            subject = "Your order " + orderId + " could not be completed";
            body = "Hello " + customerId + ",\n\nwe could not complete your order " + orderId + ": "
                    + explain(reason) + ". Nothing was charged and no stock is held for you.\n\nShopflow";
        }
        return new Notification(UUID.randomUUID(), orderId, customerId, outcome, reason, EMAIL,
                customerId.toLowerCase(Locale.ROOT) + "@" + recipientDomain, subject, body, now);
    }

    static String explain(String reason) {
        if (reason == null) {
            return "it was rejected";
        }
        switch (reason) {
            case "OUT_OF_STOCK":
                return "some items are out of stock";
            case "PAYMENT_DECLINED":
                return "the payment was declined";
            case "PAYMENT_UNAVAILABLE":
                return "the payment service was unavailable";
            case "TIMEOUT":
                return "it took too long to process";
            case "ABORTED":
                return "it was cancelled by our staff";
            default:
                return "it was rejected";
        }
    }
}
