package io.shopflow.inventory.domain;

import java.util.List;
import java.util.UUID;

/**
 * The stock held for one order. {@code RELEASED} is kept (with no lines held) so that a late
 * or repeated command about the same order is answered without touching stock again.
 */
public record Reservation(UUID orderId, Status status, List<ReservationLine> lines) {

    public enum Status { RESERVED, RELEASED }

    public Reservation {
        lines = List.copyOf(lines);
    }

    public long totalCents() {
        return lines.stream().mapToLong(ReservationLine::totalCents).sum();
    }
}
