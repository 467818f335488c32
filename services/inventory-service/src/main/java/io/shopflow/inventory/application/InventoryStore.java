package io.shopflow.inventory.application;

import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.StockItem;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The store of stock and reservations (port): every call reads or writes in the unit of work it is handed. */
public interface InventoryStore {

    /**
     * The stock of {@code skus}, row-locked in SKU order (one lock order for every transaction, so
     * concurrent reservations wait for each other instead of deadlocking). Unknown SKUs are absent.
     */
    Uni<Map<String, StockItem>> lockStock(UnitOfWork work, Collection<String> skus);

    /** Writes back stock loaded with {@link #lockStock} or {@link #lockStockItem} in this unit of work. */
    Uni<Void> saveStock(UnitOfWork work, Collection<StockItem> items);

    /** One SKU's stock as stored, without a lock. */
    Uni<Optional<StockItem>> findStock(UnitOfWork work, String sku);

    /** One SKU's stock, row-locked. */
    Uni<Optional<StockItem>> lockStockItem(UnitOfWork work, String sku);

    /** Stores the stock of a SKU that has none yet. */
    Uni<Void> addStock(UnitOfWork work, StockItem item);

    /**
     * The order's reservation, if it has one; until the unit of work ends, no other unit of work gets past this
     * call for the same order, also while the order has no reservation yet.
     */
    Uni<Optional<Reservation>> lockReservation(UnitOfWork work, UUID orderId);

    /** Inserts or updates the order's reservation. */
    Uni<Void> saveReservation(UnitOfWork work, Reservation reservation, Instant now);
}
