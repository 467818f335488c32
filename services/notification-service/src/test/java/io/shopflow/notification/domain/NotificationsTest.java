package io.shopflow.notification.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class NotificationsTest {

    private final UUID order = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void confirmsAnApprovedOrderByEmail() {
        Notification n = Notifications.compose(order, "Alice", Outcome.APPROVED, null, "customers.shopflow.local", now);

        assertThat(n.channel()).isEqualTo("EMAIL");
        assertThat(n.recipient()).isEqualTo("alice@customers.shopflow.local");
        assertThat(n.subject()).contains(order.toString(), "confirmed");
        assertThat(n.sentAt()).isEqualTo(now);
    }

    @Test
    void explainsARejectionInTheCustomersTerms() {
        Notification n = Notifications.compose(order, "bob", Outcome.REJECTED, "OUT_OF_STOCK", "x", now);

        assertThat(n.subject()).contains("could not be completed");
        assertThat(n.body()).contains("some items are out of stock", "Nothing was charged");
        assertThat(Notifications.explain("SOMETHING_NEW")).isEqualTo("it was rejected");
    }
}
