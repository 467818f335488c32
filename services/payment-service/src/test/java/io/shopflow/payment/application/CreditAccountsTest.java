package io.shopflow.payment.application;

import io.shopflow.payment.domain.CreditAccount;
import org.junit.jupiter.api.Test;

import static io.shopflow.payment.application.PaymentsFixture.UNITS;
import static io.shopflow.payment.application.PaymentsFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

/** Setting a credit limit with an in-memory store (ADR 15). */
class CreditAccountsTest {

    private final PaymentsFixture.Store store = new PaymentsFixture.Store();
    private final CreditAccounts accounts = new CreditAccounts(UNITS, store);

    @Test
    void refusesALimitBelowWhatIsHeldAsAnOutcomeAndChangesNothing() {
        store.accounts.put("erin", new CreditAccount("erin", 100_000, 70_000));

        LimitChange change = await(accounts.changeLimit("erin", 20_000));

        assertThat(change).isEqualTo(new LimitChange.Refused("limit 20000 is below the 30000 cents held"));
        assertThat(await(accounts.account("erin")).creditLimitCents()).isEqualTo(100_000);
    }
}
