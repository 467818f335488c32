package io.shopflow.inventory.adapter.persistence;

import io.shopflow.inventory.application.InventoryStore;
import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.ReservationLine;
import io.shopflow.inventory.domain.StockItem;
import io.shopflow.outbox.KeyLocks;
import io.shopflow.outbox.UnitOfWork;
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

/** Stock and reservations in PostgreSQL, within the session and transaction of the caller's unit of work. */
@ApplicationScoped
class PostgresInventoryStore implements InventoryStore {

    @Override
    public Uni<Map<String, StockItem>> lockStock(UnitOfWork work, Collection<String> skus) {
        return work.session()
                .createSelectionQuery("FROM StockEntity s WHERE s.sku IN :skus ORDER BY s.sku", StockEntity.class)
                .setParameter("skus", skus)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultList()
                .map(rows -> {
                    Map<String, StockItem> stock = new LinkedHashMap<>();
                    rows.forEach(r -> stock.put(r.sku, toDomain(r)));
                    return stock;
                });
    }

    @Override
    public Uni<Void> saveStock(UnitOfWork work, Collection<StockItem> items) {
        Mutiny.Session session = work.session();
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

    @Override
    public Uni<Optional<StockItem>> findStock(UnitOfWork work, String sku) {
        return work.session().find(StockEntity.class, sku).map(e -> Optional.ofNullable(e).map(PostgresInventoryStore::toDomain));
    }

    @Override
    public Uni<Optional<StockItem>> lockStockItem(UnitOfWork work, String sku) {
        return work.session().find(StockEntity.class, sku, LockMode.PESSIMISTIC_WRITE)
                .map(e -> Optional.ofNullable(e).map(PostgresInventoryStore::toDomain));
    }

    @Override
    public Uni<Void> addStock(UnitOfWork work, StockItem item) {
        StockEntity created = new StockEntity();
        created.sku = item.sku();
        created.available = item.available();
        created.reserved = item.reserved();
        created.priceCents = item.priceCents();
        return work.session().persist(created);
    }

    /**
     * The order's key lock first: the row lock alone locks nothing while the order has no reservation, and a
     * ReserveStock and the saga's resend of it, processed at once, would both find none and reserve twice.
     */
    @Override
    public Uni<Optional<Reservation>> lockReservation(UnitOfWork work, UUID orderId) {
        return KeyLocks.lockAndFind(work.session(), ReservationEntity.class, orderId)
                .map(e -> Optional.ofNullable(e).map(PostgresInventoryStore::toDomain));
    }

    @Override
    public Uni<Void> saveReservation(UnitOfWork work, Reservation reservation, Instant now) {
        Mutiny.Session session = work.session();
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

    private static StockItem toDomain(StockEntity e) {
        return new StockItem(e.sku, e.available, e.reserved, e.priceCents);
    }

    private static Reservation toDomain(ReservationEntity e) {
        List<ReservationLine> lines = e.lines.lines().stream()
                .map(l -> new ReservationLine(l.sku(), l.quantity(), l.unitPriceCents())).toList();
        return new Reservation(e.orderId, Reservation.Status.valueOf(e.status), lines);
    }
}
