package io.shopflow.payment.domain;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentsTest {

    private final UUID order = UUID.randomUUID();
    private final CreditAccount account = CreditAccount.opened("alice");

    @Test
    void unknownCustomersStartWithTheDefaultLimit() {
        assertThat(account.creditLimitCents()).isEqualTo(100_000);
        assertThat(account.availableCents()).isEqualTo(100_000);
    }

    @Test
    void asksTheProviderWhenCoveredAndHoldsTheAmountOnceAuthorized() {
        assertThat(Payments.check(order, "alice", 40_000, account, Optional.empty()))
                .isInstanceOf(Payments.Check.AskProvider.class);

        Payment payment = Payments.authorized(order, "alice", 40_000, "auth-1", account);

        assertThat(payment.status()).isEqualTo(Payment.Status.AUTHORIZED);
        assertThat(account.availableCents()).isEqualTo(60_000);
    }

    @Test
    void declinesWithoutCallingTheProviderWhenTheAmountExceedsAvailableCredit() {
        Payments.authorized(UUID.randomUUID(), "alice", 90_000, "auth-0", account);

        Payments.Check check = Payments.check(order, "alice", 20_000, account, Optional.empty());

        assertThat(check).isInstanceOfSatisfying(Payments.Check.Declined.class,
                d -> assertThat(d.payment().status()).isEqualTo(Payment.Status.DECLINED));
        assertThat(account.availableCents()).isEqualTo(10_000);
    }

    @Test
    void answersARepeatedCommandWithTheRecordedPayment() {
        Payment first = Payments.authorized(order, "alice", 1_000, "auth-1", account);

        assertThat(Payments.check(order, "alice", 1_000, account, Optional.of(first)))
                .isEqualTo(new Payments.Check.Decided(first));
        assertThat(account.availableCents()).isEqualTo(99_000);
    }

    @Test
    void voidRestoresCreditOnceAndLeavesATombstoneWithoutPayment() {
        Payment authorized = Payments.authorized(order, "alice", 1_000, "auth-1", account);

        Payment voided = Payments.voided(order, "alice", account, Optional.of(authorized));
        Payment again = Payments.voided(order, "alice", account, Optional.of(voided));

        assertThat(again.status()).isEqualTo(Payment.Status.VOIDED);
        assertThat(account.availableCents()).isEqualTo(100_000);
        Payment tombstone = Payments.voided(UUID.randomUUID(), "alice", account, Optional.empty());
        assertThat(tombstone.status()).isEqualTo(Payment.Status.VOIDED);
        assertThat(Payments.check(tombstone.orderId(), "alice", 5, account, Optional.of(tombstone)))
                .isInstanceOf(Payments.Check.Decided.class);
    }

    @Test
    void changingTheLimitKeepsWhatIsHeld() {
        Payments.authorized(order, "alice", 30_000, "auth-1", account);

        account.changeLimit(50_000);

        assertThat(account.availableCents()).isEqualTo(20_000);
        assertThatThrownBy(() -> account.changeLimit(10_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCreditLimitAboveTheBoundIsRefused() {
        CreditAccount account = CreditAccount.opened("bounded");
        assertThatThrownBy(() -> account.changeLimit(CreditAccount.MAX_LIMIT_CENTS + 1))
                .isInstanceOf(IllegalArgumentException.class);
        account.changeLimit(CreditAccount.MAX_LIMIT_CENTS);
        assertThat(account.creditLimitCents()).isEqualTo(CreditAccount.MAX_LIMIT_CENTS);
    }
}
