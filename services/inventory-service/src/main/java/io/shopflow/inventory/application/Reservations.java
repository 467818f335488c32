package io.shopflow.inventory.application;

import io.shopflow.inventory.adapter.persistence.InventoryStore;
import io.shopflow.inventory.domain.Inventory;
import io.shopflow.inventory.domain.RequestedLine;
import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.ReservationOutcome;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/**
 * Reserve and release, in the caller's transaction: the order's reservation row and its SKUs'
 * stock rows are locked first, so concurrent reservations of the same SKU serialize and a
 * repeated command for the same order sees the first one's result.
 */
@ApplicationScoped
public class Reservations {

    private final InventoryStore store;
    private final Clock clock;

    Reservations(InventoryStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Uni<ReservationOutcome> reserve(Mutiny.Session session, UUID orderId, List<RequestedLine> lines) {
        return store.lockReservation(session, orderId).chain(existing -> store
                .lockStock(session, lines.stream().map(RequestedLine::sku).distinct().sorted().toList())
                .chain(stock -> {
                    ReservationOutcome outcome = Inventory.reserve(orderId, lines, stock, existing);
                    if (existing.isPresent()) {
                        return Uni.createFrom().item(outcome);
                    }
                    if (outcome instanceof ReservationOutcome.Reserved reserved) {
                        return store.saveStock(session, stock.values())
                                .chain(() -> store.saveReservation(session, reserved.reservation(), clock.instant()))
                                .replaceWith(outcome);
                    }
                    // Remember the refusal, so that a resent ReserveStock cannot reserve later.
                    return store.saveReservation(session,
                                    new Reservation(orderId, Reservation.Status.REFUSED, List.of()), clock.instant())
                            .replaceWith(outcome);
                }));
    }

    public Uni<Reservation> release(Mutiny.Session session, UUID orderId) {
        return store.lockReservation(session, orderId).chain(existing -> store
                .lockStock(session, existing.map(r -> r.lines().stream().map(l -> l.sku()).distinct().sorted().toList())
                        .orElse(List.of()))
                .chain(stock -> {
                    Reservation released = Inventory.release(orderId, stock, existing);
                    boolean wasReserved = existing.map(r -> r.status() == Reservation.Status.RESERVED).orElse(false);
                    Uni<Void> writes = wasReserved ? store.saveStock(session, stock.values()) : Uni.createFrom().voidItem();
                    return writes.chain(() -> store.saveReservation(session, released, clock.instant()))
                            .replaceWith(released);
                }));
    }
}
