package io.shopflow.inventory.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The reservation rules: all lines or none, stock never negative, one reservation per order.
 * Works on the stock rows the caller loaded (and locked) for the order's SKUs.
 */
public final class Inventory {

    private Inventory() {
    }

    /**
     * Reserves every line of the order, or nothing. A repeated command for an order that
     * already has a reservation answers with that reservation and changes no stock; one for a
     * released or refused order is refused again, since the saga has moved on (or will).
     */
    public static ReservationOutcome reserve(UUID orderId, List<RequestedLine> lines, Map<String, StockItem> stock,
                                             Optional<Reservation> existing) {
        if (existing.isPresent()) {
            Reservation r = existing.get();
            return r.status() == Reservation.Status.RESERVED
                    ? new ReservationOutcome.Reserved(r) : new ReservationOutcome.Refused(List.of());
        }
        Map<String, Integer> wanted = new LinkedHashMap<>();
        lines.forEach(l -> wanted.merge(l.sku(), l.quantity(), Integer::sum));
        List<String> shortSkus = new ArrayList<>();
        wanted.forEach((sku, quantity) -> {
            StockItem item = stock.get(sku);
            if (item == null || !item.canReserve(quantity)) {
                shortSkus.add(sku);
            }
        });
        if (!shortSkus.isEmpty()) {
            return new ReservationOutcome.Refused(shortSkus);
        }

        List<ReservationLine> reserved = new ArrayList<>();
        wanted.forEach((sku, quantity) -> {
            StockItem item = stock.get(sku);
            item.reserve(quantity);
            reserved.add(new ReservationLine(sku, quantity, item.priceCents()));
        });
        return new ReservationOutcome.Reserved(new Reservation(orderId, Reservation.Status.RESERVED, reserved));
    }

    /**
     * Releases what the order holds and returns the reservation as released; an order without
     * a reservation gets a released one with no lines, so a late ReserveStock is refused.
     */
    public static Reservation release(UUID orderId, Map<String, StockItem> stock, Optional<Reservation> existing) {
        if (existing.isEmpty()) {
            return new Reservation(orderId, Reservation.Status.RELEASED, List.of());
        }
        Reservation r = existing.get();
        if (r.status() == Reservation.Status.RESERVED) {
            r.lines().forEach(line -> stock.get(line.sku()).release(line.quantity()));
        }
        return new Reservation(orderId, Reservation.Status.RELEASED, r.lines());
    }
}
