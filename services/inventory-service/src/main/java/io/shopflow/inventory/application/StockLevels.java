package io.shopflow.inventory.application;

import io.shopflow.inventory.domain.StockItem;
import io.shopflow.outbox.UnitsOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** A SKU's stock and price as operators read and set them; each call is a unit of work of its own. */
@ApplicationScoped
public class StockLevels {

    private final UnitsOfWork units;
    private final InventoryStore store;

    StockLevels(UnitsOfWork units, InventoryStore store) {
        this.units = units;
        this.store = store;
    }

    public Uni<Optional<StockItem>> find(String sku) {
        return units.inTransaction(work -> store.findStock(work, sku));
    }

    /** Sets available stock and price of a SKU, creating it when new; what is reserved stays reserved. */
    public Uni<StockItem> restock(String sku, int available, long priceCents) {
        return units.inTransaction(work -> store.lockStockItem(work, sku).chain(found -> {
            StockItem item = found.orElseGet(() -> new StockItem(sku, available, 0, priceCents));
            item.restock(available, priceCents);
            return (found.isPresent() ? store.saveStock(work, List.of(item)) : store.addStock(work, item))
                    .replaceWith(item);
        }));
    }
}
