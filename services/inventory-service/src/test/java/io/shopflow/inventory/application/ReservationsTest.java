package io.shopflow.inventory.application;

import io.shopflow.inventory.domain.RequestedLine;
import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.ReservationOutcome;
import io.shopflow.inventory.domain.StockItem;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The reservation use cases with in-memory ports (ADR 15): no Quarkus, no database, no Kafka. */
class ReservationsTest {

    /** The consumer's transaction, which in-memory ports never open. */
    private static final UnitOfWork WORK = () -> {
        throw new AssertionError("the use case opened the unit of work it should only pass on");
    };

    private final InMemoryInventory store = new InMemoryInventory();
    private final RecordedReplies replies = new RecordedReplies();
    private final Reservations reservations = new Reservations(store,
            Clock.fixed(Instant.parse("2026-11-30T00:00:00Z"), ZoneOffset.UTC));
    private final UUID order = UUID.randomUUID();

    @Test
    void locksTheOrdersReservationBeforeItsStockAndEachSkuOnceInSkuOrder() {
        store.stock(new StockItem("PEAR", 5, 0, 300), new StockItem("APPLE", 5, 0, 120));

        await(reservations.reserve(WORK, order, List.of(new RequestedLine("PEAR", 1), new RequestedLine("APPLE", 2),
                new RequestedLine("PEAR", 1)), replies));
        await(reservations.release(WORK, order, replies));

        assertThat(store.locks).containsExactly("reservation " + order, "stock [APPLE, PEAR]",
                "reservation " + order, "stock [APPLE, PEAR]");
        assertThat(store.stock.get("PEAR").available()).isEqualTo(5);
        assertThat(replies.sent).containsExactly("StockReserved " + order, "StockReleased " + order);
    }

    @Test
    void aReleaseBeforeAnyReservationLeavesATombstoneThatRefusesALateReserveWithoutTouchingStock() {
        store.stock(new StockItem("FIG", 3, 0, 10));

        Reservation released = await(reservations.release(WORK, order, replies));
        ReservationOutcome late = await(reservations.reserve(WORK, order, List.of(new RequestedLine("FIG", 1)),
                replies));

        assertThat(released.status()).isEqualTo(Reservation.Status.RELEASED);
        assertThat(store.reservations.get(order).status()).isEqualTo(Reservation.Status.RELEASED);
        assertThat(late).isEqualTo(new ReservationOutcome.Refused(List.of()));
        assertThat(store.stockWrites).isZero();
        assertThat(store.stock.get("FIG").available()).isEqualTo(3);
        assertThat(replies.sent).containsExactly("StockReleased " + order, "StockReservationFailed " + order);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().indefinitely();
    }

    /** The store port over maps; it hands out copies, so that only what is saved counts. */
    private static final class InMemoryInventory implements InventoryStore {

        final Map<String, StockItem> stock = new HashMap<>();
        final Map<UUID, Reservation> reservations = new HashMap<>();
        final List<String> locks = new ArrayList<>();
        int stockWrites;

        void stock(StockItem... items) {
            for (StockItem item : items) {
                stock.put(item.sku(), item);
            }
        }

        @Override
        public Uni<Map<String, StockItem>> lockStock(UnitOfWork work, Collection<String> skus) {
            locks.add("stock " + skus);
            Map<String, StockItem> found = new LinkedHashMap<>();
            skus.stream().filter(stock::containsKey).forEach(sku -> found.put(sku, copy(stock.get(sku))));
            return Uni.createFrom().item(found);
        }

        @Override
        public Uni<Void> saveStock(UnitOfWork work, Collection<StockItem> items) {
            items.forEach(item -> stock.put(item.sku(), copy(item)));
            stockWrites += items.size();
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Optional<StockItem>> findStock(UnitOfWork work, String sku) {
            return Uni.createFrom().item(Optional.ofNullable(stock.get(sku)).map(InMemoryInventory::copy));
        }

        @Override
        public Uni<Optional<StockItem>> lockStockItem(UnitOfWork work, String sku) {
            locks.add("stock [" + sku + "]");
            return findStock(work, sku);
        }

        @Override
        public Uni<Void> addStock(UnitOfWork work, StockItem item) {
            return saveStock(work, List.of(item));
        }

        @Override
        public Uni<Optional<Reservation>> lockReservation(UnitOfWork work, UUID orderId) {
            locks.add("reservation " + orderId);
            return Uni.createFrom().item(Optional.ofNullable(reservations.get(orderId)));
        }

        @Override
        public Uni<Void> saveReservation(UnitOfWork work, Reservation reservation, Instant now) {
            reservations.put(reservation.orderId(), reservation);
            return Uni.createFrom().voidItem();
        }

        private static StockItem copy(StockItem item) {
            return new StockItem(item.sku(), item.available(), item.reserved(), item.priceCents());
        }
    }

    /** The outgoing messages port, as the events it would send. */
    private static final class RecordedReplies implements ReservationReplies {

        final List<String> sent = new ArrayList<>();

        @Override
        public Uni<Void> reservation(UnitOfWork work, UUID orderId, ReservationOutcome outcome) {
            sent.add((outcome instanceof ReservationOutcome.Reserved ? "StockReserved " : "StockReservationFailed ")
                    + orderId);
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> released(UnitOfWork work, Reservation released) {
            sent.add("StockReleased " + released.orderId());
            return Uni.createFrom().voidItem();
        }
    }
}
