package io.shopflow.payment.domain;

import java.util.Optional;

/**
 * A customer's credit: the limit and what is still available after the authorizations it
 * holds. An unknown customer starts with {@link #DEFAULT_LIMIT_CENTS}.
 */
public final class CreditAccount {

    public static final long DEFAULT_LIMIT_CENTS = 100_000;
    /**
     * The highest limit {@link #changeLimit} sets, 10,000,000,000.00: far above any order's total (order-service
     * and inventory-service bound quantities and prices), far below where sums of cents could overflow a long.
     */
    public static final long MAX_LIMIT_CENTS = 1_000_000_000_000L;

    private final String customerId;
    private long creditLimitCents;
    private long availableCents;

    public CreditAccount(String customerId, long creditLimitCents, long availableCents) {
        if (creditLimitCents < 0 || availableCents < 0 || availableCents > creditLimitCents) {
            throw new IllegalArgumentException("need 0 <= available <= limit");
        }
        this.customerId = customerId;
        this.creditLimitCents = creditLimitCents;
        this.availableCents = availableCents;
    }

    public static CreditAccount opened(String customerId) {
        return new CreditAccount(customerId, DEFAULT_LIMIT_CENTS, DEFAULT_LIMIT_CENTS);
    }

    /** Why {@code newLimitCents} cannot be the limit (above the bound, or below what is held); empty when it can. */
    public Optional<String> limitRefusal(long newLimitCents) {
        if (newLimitCents > MAX_LIMIT_CENTS) {
            return Optional.of("limit " + newLimitCents + " is above " + MAX_LIMIT_CENTS);
        }
        long held = creditLimitCents - availableCents;
        if (newLimitCents < held) {
            return Optional.of("limit " + newLimitCents + " is below the " + held + " cents held");
        }
        return Optional.empty();
    }

    /** Changes the limit; what is held stays held, so available moves by the difference. */
    public void changeLimit(long newLimitCents) {
        limitRefusal(newLimitCents).ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        long held = creditLimitCents - availableCents;
        creditLimitCents = newLimitCents;
        availableCents = newLimitCents - held;
    }

    boolean covers(long amountCents) {
        return amountCents >= 0 && amountCents <= availableCents;
    }

    void hold(long amountCents) {
        if (!covers(amountCents)) {
            throw new IllegalStateException("not covered: " + amountCents);
        }
        availableCents -= amountCents;
    }

    void restore(long amountCents) {
        availableCents = Math.min(creditLimitCents, availableCents + amountCents);
    }

    public String customerId() {
        return customerId;
    }

    public long creditLimitCents() {
        return creditLimitCents;
    }

    public long availableCents() {
        return availableCents;
    }
}
