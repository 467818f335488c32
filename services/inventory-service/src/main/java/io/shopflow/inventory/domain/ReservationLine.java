package io.shopflow.inventory.domain;

/** A reserved line, priced when it was reserved. */
public record ReservationLine(String sku, int quantity, long unitPriceCents) {

    /** Exact: a total that does not fit a long is an error, never a wrapped (negative) amount. */
    public long totalCents() {
        return Math.multiplyExact(unitPriceCents, quantity);
    }
}
