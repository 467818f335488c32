package io.shopflow.inventory.domain;

import java.util.List;

/** What inventory answers to ReserveStock: a value, never an exception. */
public sealed interface ReservationOutcome {

    record Reserved(Reservation reservation) implements ReservationOutcome {
    }

    /** Nothing was reserved; {@code shortSkus} are unknown or short SKUs (empty when the order was released). */
    record Refused(List<String> shortSkus) implements ReservationOutcome {
    }
}
