package io.shopflow.inventory.domain;

/**
 * Stock of one SKU: what can still be reserved, what is held by reservations, and the unit
 * price that a reservation locks in. Never negative.
 */
public final class StockItem {

    /** A SKU: 1-64 letters, digits, '.', '_' and '-' (order-service's OrderRules takes the same). */
    public static final java.util.regex.Pattern SKU = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /**
     * The highest unit price {@link #restock} sets, 10,000,000.00: with order-service's bounds (at most 10,000 per
     * line, 50 lines) a reservation's total stays far inside a long. A price stored before this bound still loads;
     * {@link ReservationLine#totalCents()} is exact, so a total past a long fails instead of wrapping.
     */
    public static final long MAX_PRICE_CENTS = 1_000_000_000L;

    private final String sku;
    private int available;
    private int reserved;
    private long priceCents;

    public StockItem(String sku, int available, int reserved, long priceCents) {
        if (available < 0 || reserved < 0 || priceCents < 0) {
            throw new IllegalArgumentException("stock and price are never negative");
        }
        this.sku = sku;
        this.available = available;
        this.reserved = reserved;
        this.priceCents = priceCents;
    }

    /** Sets what is available for sale and the price; what is reserved stays reserved. */
    public void restock(int newAvailable, long newPriceCents) {
        if (newAvailable < 0 || newPriceCents < 0) {
            throw new IllegalArgumentException("stock and price are never negative");
        }
        if (newPriceCents > MAX_PRICE_CENTS) {
            throw new IllegalArgumentException("price above " + MAX_PRICE_CENTS + " cents: " + newPriceCents);
        }
        available = newAvailable;
        priceCents = newPriceCents;
    }

    boolean canReserve(int quantity) {
        return quantity > 0 && available >= quantity;
    }

    void reserve(int quantity) {
        if (!canReserve(quantity)) {
            throw new IllegalStateException("cannot reserve " + quantity + " of " + sku);
        }
        available -= quantity;
        reserved += quantity;
    }

    void release(int quantity) {
        if (quantity > reserved) {
            throw new IllegalStateException("cannot release " + quantity + " of " + sku + ", " + reserved + " held");
        }
        reserved -= quantity;
        available += quantity;
    }

    public String sku() {
        return sku;
    }

    public int available() {
        return available;
    }

    public int reserved() {
        return reserved;
    }

    public long priceCents() {
        return priceCents;
    }
}
