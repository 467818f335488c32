package io.shopflow.inventory.domain;

/** A reserved line, priced when it was reserved. */
public record ReservationLine(String sku, int quantity, long unitPriceCents) {

    public long totalCents() {
        return unitPriceCents * quantity;
    }
}
