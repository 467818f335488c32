package io.shopflow.inventory.adapter.persistence;

import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.ReservationLine;
import io.shopflow.inventory.domain.StockItem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Stock and reservations in PostgreSQL, within the caller's session and transaction. */
@ApplicationScoped
public class InventoryStore {

    /**
     * The stock rows of {@code skus}, locked in SKU order (one lock order for every transaction,
     * so concurrent reservations wait for each other instead of deadlocking). Unknown SKUs are absent.
     */
    public Uni<Map<String, StockItem>> lockStock(Mutiny.Session session, Collection<String> skus) {
        return session.createSelectionQuery("FROM StockEntity s WHERE s.sku IN :skus ORDER BY s.sku", StockEntity.class)
                .setParameter("skus", skus)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .map(rows -> {
                    Map<String, StockItem> stock = new LinkedHashMap<>();
                    rows.forEach(r -> stock.put(r.sku, new StockItem(r.sku, r.available, r.reserved, r.priceCents)));
                    return stock;
                });
    }

    /** Writes back stock loaded with {@link #lockStock} in this session. */
    public Uni<Void> saveStock(Mutiny.Session session, Collection<StockItem> items) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (StockItem item : items) {
            chain = chain.chain(() -> session.find(StockEntity.class, item.sku()).invoke(e -> {
                e.available = item.available();
                e.reserved = item.reserved();
                e.priceCents = item.priceCents();
            }).replaceWithVoid());
        }
        return chain;
    }

    public Uni<Optional<StockItem>> findStock(Mutiny.Session session, String sku) {
        return session.find(StockEntity.class, sku)
                .map(e -> Optional.ofNullable(e).map(r -> new StockItem(r.sku, r.available, r.reserved, r.priceCents)));
    }

    /** Sets available stock and price of a SKU, creating it when new; what is reserved stays. */
    public Uni<StockItem> restock(Mutiny.Session session, String sku, int available, long priceCents) {
        return session.find(StockEntity.class, sku, LockMode.PESSIMISTIC_WRITE).chain(e -> {
            StockItem item = e == null ? new StockItem(sku, available, 0, priceCents)
                    : new StockItem(sku, e.available, e.reserved, e.priceCents);
            item.restock(available, priceCents);
            if (e == null) {
                StockEntity created = new StockEntity();
                created.sku = sku;
                created.available = item.available();
                created.reserved = 0;
                created.priceCents = item.priceCents();
                return session.persist(created).replaceWith(item);
            }
            e.available = item.available();
            e.priceCents = item.priceCents();
            return Uni.createFrom().item(item);
        });
    }

    /** The order's reservation, row-locked. */
    public Uni<Optional<Reservation>> lockReservation(Mutiny.Session session, UUID orderId) {
        return session.find(ReservationEntity.class, orderId, LockMode.PESSIMISTIC_WRITE)
                .map(e -> Optional.ofNullable(e).map(InventoryStore::toDomain));
    }

    /** Inserts or updates the order's reservation. */
    public Uni<Void> saveReservation(Mutiny.Session session, Reservation reservation, Instant now) {
        return session.find(ReservationEntity.class, reservation.orderId()).chain(e -> {
            ReservationEntity row = e == null ? new ReservationEntity() : e;
            row.orderId = reservation.orderId();
            row.status = reservation.status().name();
            row.lines = new ReservationEntity.Lines(reservation.lines().stream()
                    .map(l -> new ReservationEntity.Line(l.sku(), l.quantity(), l.unitPriceCents())).toList());
            row.updatedAt = now;
            return e == null ? session.persist(row) : Uni.createFrom().voidItem();
        });
    }

    private static Reservation toDomain(ReservationEntity e) {
        List<ReservationLine> lines = e.lines.lines().stream()
                .map(l -> new ReservationLine(l.sku(), l.quantity(), l.unitPriceCents())).toList();
        return new Reservation(e.orderId, Reservation.Status.valueOf(e.status), lines);
    }
}
