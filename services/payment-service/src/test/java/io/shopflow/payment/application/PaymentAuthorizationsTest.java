package io.shopflow.payment.application;

import io.shopflow.payment.domain.Payment;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.shopflow.payment.application.PaymentsFixture.WORK;
import static io.shopflow.payment.application.PaymentsFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Authorize and void with in-memory ports and a fake provider (ADR 15): no Quarkus, no database, no HTTP. */
class PaymentAuthorizationsTest {

    private final PaymentsFixture.Store store = new PaymentsFixture.Store();
    private final PaymentsFixture.Provider provider = new PaymentsFixture.Provider();
    private final PaymentsFixture.Replies replies = new PaymentsFixture.Replies();
    private final PaymentAuthorizations payments = new PaymentAuthorizations(store, provider,
            Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC));
    private final UUID order = UUID.randomUUID();

    @Test
    void asksTheProviderOncePerOrderAndAnswersARepeatWithTheRecordedPayment() {
        Payment first = await(payments.authorize(WORK, order, "alice", 30_000, replies));
        Payment again = await(payments.authorize(WORK, order, "alice", 30_000, replies));

        assertThat(provider.calls).containsExactly("authorize " + order);
        assertThat(again).isEqualTo(first);
        assertThat(replies.decided).containsExactly(first, first);
        assertThat(store.accounts.get("alice").availableCents()).isEqualTo(70_000);
    }

    @Test
    void declinesOverTheAvailableCreditWithoutCallingTheProvider() {
        Payment declined = await(payments.authorize(WORK, order, "bob", 100_001, replies));

        assertThat(declined.status()).isEqualTo(Payment.Status.DECLINED);
        assertThat(provider.calls).isEmpty();
        assertThat(store.payments.get(order)).isEqualTo(declined);
    }

    @Test
    void recordsWhyTheProviderWasUnavailableAndHoldsNothing() {
        provider.down = true;

        Payment unavailable = await(payments.authorize(WORK, order, "carol", 500, replies));

        assertThat(unavailable.status()).isEqualTo(Payment.Status.UNAVAILABLE);
        assertThat(unavailable.detail()).isEqualTo("IllegalStateException: provider unreachable");
        assertThat(store.accounts.get("carol").availableCents()).isEqualTo(100_000);
        assertThat(replies.decided).containsExactly(unavailable);
    }

    @Test
    void aDatabaseFailureAfterTheProviderAuthorizedFailsTheUnitOfWorkInsteadOfDecliningAsUnavailable() {
        store.failNextPaymentSave = new IllegalStateException("Connection reset");

        assertThatThrownBy(() -> await(payments.authorize(WORK, order, "erin", 500, replies)))
                .hasMessage("Connection reset");

        assertThat(provider.calls).containsExactly("authorize " + order);
        assertThat(store.payments).isEmpty();
        assertThat(replies.decided).isEmpty();
    }

    @Test
    void aVoidTheProviderFailsWritesAndAnswersNothingSoThatTheConsumerRetriesIt() {
        Payment authorized = await(payments.authorize(WORK, order, "dave", 1_000, replies));
        provider.down = true;

        assertThatThrownBy(() -> await(payments.voidPayment(WORK, order, replies)))
                .hasMessage("provider unreachable");

        assertThat(store.payments.get(order)).isEqualTo(authorized);
        assertThat(store.accounts.get("dave").availableCents()).isEqualTo(99_000);
        assertThat(replies.voided).isEmpty();
        provider.down = false;
        Payment voided = await(payments.voidPayment(WORK, order, replies));
        assertThat(voided.status()).isEqualTo(Payment.Status.VOIDED);
        assertThat(store.accounts.get("dave").availableCents()).isEqualTo(100_000);
        assertThat(replies.voided).containsExactly(voided);
    }
}
