package io.shopflow.inventory.domain;

import java.util.List;
import java.util.UUID;

/**
 * The stock held for one order. {@code RELEASED} and {@code REFUSED} are kept (holding nothing)
 * so that a late or repeated command about the same order is answered without touching stock
 * again: a ReserveStock resent by the saga's deadline must not reserve for an order whose first
 * reservation was refused, even if stock has come back meanwhile.
 */
public record Reservation(UUID orderId, Status status, List<ReservationLine> lines) {

    public enum Status { RESERVED, RELEASED, REFUSED }

    public Reservation {
        lines = List.copyOf(lines);
    }

    /** Exact, like each line's: an overflow throws instead of wrapping. */
    public long totalCents() {
        return lines.stream().mapToLong(ReservationLine::totalCents).reduce(0L, Math::addExact);
    }
}
