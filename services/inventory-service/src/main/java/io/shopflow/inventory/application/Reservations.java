package io.shopflow.inventory.application;

import io.shopflow.inventory.domain.Inventory;
import io.shopflow.inventory.domain.RequestedLine;
import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.ReservationLine;
import io.shopflow.inventory.domain.ReservationOutcome;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Reserve and release, in the caller's unit of work: the order's reservation row and its SKUs'
 * stock rows are locked first (the SKUs in sorted order), so concurrent reservations of the same
 * SKU serialize and a repeated command for the same order sees the first one's result. The
 * answer goes out through {@code replies} in the same unit of work.
 */
@ApplicationScoped
public class Reservations {

    private final InventoryStore store;
    private final Clock clock;

    Reservations(InventoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Uni<ReservationOutcome> reserve(UnitOfWork work, UUID orderId, List<RequestedLine> lines,
                                           ReservationReplies replies) {
        return store.lockReservation(work, orderId).chain(existing -> store
                .lockStock(work, lines.stream().map(RequestedLine::sku).distinct().sorted().toList())
                .chain(stock -> {
                    ReservationOutcome outcome = Inventory.reserve(orderId, lines, stock, existing);
                    if (existing.isPresent()) {
                        return Uni.createFrom().item(outcome);
                    }
                    if (outcome instanceof ReservationOutcome.Reserved reserved) {
                        return store.saveStock(work, stock.values())
                                .chain(() -> store.saveReservation(work, reserved.reservation(), clock.instant()))
                                .replaceWith(outcome);
                    }
                    // Remember the refusal, so that a resent ReserveStock cannot reserve later.
                    return store.saveReservation(work,
                                    new Reservation(orderId, Reservation.Status.REFUSED, List.of()), clock.instant())
                            .replaceWith(outcome);
                }))
                .call(outcome -> replies.reservation(work, orderId, outcome));
    }

    public Uni<Reservation> release(UnitOfWork work, UUID orderId, ReservationReplies replies) {
        return store.lockReservation(work, orderId).chain(existing -> store
                .lockStock(work, existing.map(r -> r.lines().stream().map(ReservationLine::sku).distinct().sorted()
                        .toList()).orElse(List.of()))
                .chain(stock -> {
                    Reservation released = Inventory.release(orderId, stock, existing);
                    boolean wasReserved = existing.map(r -> r.status() == Reservation.Status.RESERVED).orElse(false);
                    Uni<Void> writes = wasReserved ? store.saveStock(work, stock.values()) : Uni.createFrom().voidItem();
                    return writes.chain(() -> store.saveReservation(work, released, clock.instant()))
                            .replaceWith(released);
                }))
                .call(released -> replies.released(work, released));
    }
}
