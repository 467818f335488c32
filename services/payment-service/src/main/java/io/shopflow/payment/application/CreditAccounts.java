package io.shopflow.payment.application;

import io.shopflow.outbox.UnitsOfWork;
import io.shopflow.payment.domain.CreditAccount;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Customers' credit accounts as customers read them and operators set their limits; each call is a unit of work of its own. */
@ApplicationScoped
public class CreditAccounts {

    private final UnitsOfWork units;
    private final PaymentStore store;

    CreditAccounts(UnitsOfWork units, PaymentStore store) {
        this.units = units;
        this.store = store;
    }

    /** The customer's account; an unknown customer's is the one they would be opened with. */
    public Uni<CreditAccount> account(String customerId) {
        return units.inTransaction(work -> store.findAccount(work, customerId))
                .map(found -> found.orElseGet(() -> CreditAccount.opened(customerId)));
    }

    /** Sets the customer's limit (opening the account on first use); what is held stays held. */
    public Uni<LimitChange> changeLimit(String customerId, long newLimitCents) {
        return units.inTransaction(work -> store.lockAccount(work, customerId).chain(account -> {
            Optional<String> refusal = account.limitRefusal(newLimitCents);
            if (refusal.isPresent()) {
                return Uni.createFrom().item(new LimitChange.Refused(refusal.get()));
            }
            account.changeLimit(newLimitCents);
            return store.saveAccount(work, account).replaceWith(new LimitChange.Changed(account));
        }));
    }
}
