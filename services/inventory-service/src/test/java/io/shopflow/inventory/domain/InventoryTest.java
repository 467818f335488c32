package io.shopflow.inventory.domain;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryTest {

    private final UUID order = UUID.randomUUID();
    private final StockItem apples = new StockItem("APPLE", 5, 0, 120);
    private final StockItem pears = new StockItem("PEAR", 1, 0, 300);
    private final Map<String, StockItem> stock = Map.of("APPLE", apples, "PEAR", pears);

    @Test
    void reservesEveryLinePricedAtReservationTime() {
        ReservationOutcome outcome = Inventory.reserve(order,
                List.of(new RequestedLine("APPLE", 2), new RequestedLine("PEAR", 1)), stock, Optional.empty());

        assertThat(outcome).isInstanceOfSatisfying(ReservationOutcome.Reserved.class, r -> {
            assertThat(r.reservation().lines()).containsExactly(
                    new ReservationLine("APPLE", 2, 120), new ReservationLine("PEAR", 1, 300));
            assertThat(r.reservation().totalCents()).isEqualTo(540);
        });
        assertThat(apples.available()).isEqualTo(3);
        assertThat(apples.reserved()).isEqualTo(2);
        assertThat(pears.available()).isZero();
    }

    @Test
    void reservesNothingWhenOneLineIsShortOrUnknown() {
        ReservationOutcome outcome = Inventory.reserve(order,
                List.of(new RequestedLine("APPLE", 2), new RequestedLine("PEAR", 2), new RequestedLine("KIWI", 1)),
                stock, Optional.empty());

        assertThat(outcome).isEqualTo(new ReservationOutcome.Refused(List.of("PEAR", "KIWI")));
        assertThat(apples.available()).isEqualTo(5);
        assertThat(apples.reserved()).isZero();
    }

    @Test
    void countsRepeatedSkusTogether() {
        ReservationOutcome outcome = Inventory.reserve(order,
                List.of(new RequestedLine("PEAR", 1), new RequestedLine("PEAR", 1)), stock, Optional.empty());

        assertThat(outcome).isEqualTo(new ReservationOutcome.Refused(List.of("PEAR")));
    }

    @Test
    void answersARepeatedCommandWithTheExistingReservationWithoutReservingTwice() {
        Reservation first = ((ReservationOutcome.Reserved) Inventory.reserve(order,
                List.of(new RequestedLine("APPLE", 2)), stock, Optional.empty())).reservation();

        ReservationOutcome again = Inventory.reserve(order, List.of(new RequestedLine("APPLE", 2)), stock,
                Optional.of(first));

        assertThat(again).isEqualTo(new ReservationOutcome.Reserved(first));
        assertThat(apples.reserved()).isEqualTo(2);
    }

    @Test
    void releasesOnceAndRefusesAReservationAfterRelease() {
        Reservation reserved = ((ReservationOutcome.Reserved) Inventory.reserve(order,
                List.of(new RequestedLine("APPLE", 2)), stock, Optional.empty())).reservation();

        Reservation released = Inventory.release(order, stock, Optional.of(reserved));
        Reservation releasedAgain = Inventory.release(order, stock, Optional.of(released));

        assertThat(apples.available()).isEqualTo(5);
        assertThat(apples.reserved()).isZero();
        assertThat(releasedAgain.status()).isEqualTo(Reservation.Status.RELEASED);
        assertThat(Inventory.reserve(order, List.of(new RequestedLine("APPLE", 1)), stock, Optional.of(releasedAgain)))
                .isEqualTo(new ReservationOutcome.Refused(List.of()));
        assertThat(apples.available()).isEqualTo(5);
    }

    @Test
    void refusesAResentCommandForARefusedOrderEvenWhenStockCameBack() {
        Reservation refused = new Reservation(order, Reservation.Status.REFUSED, List.of());

        ReservationOutcome again = Inventory.reserve(order, List.of(new RequestedLine("PEAR", 1)), stock,
                Optional.of(refused));

        assertThat(again).isEqualTo(new ReservationOutcome.Refused(List.of()));
        assertThat(pears.available()).isEqualTo(1);
    }

    @Test
    void releasingAnUnknownOrderLeavesATombstone() {
        Reservation tombstone = Inventory.release(order, stock, Optional.empty());

        assertThat(tombstone.status()).isEqualTo(Reservation.Status.RELEASED);
        assertThat(tombstone.lines()).isEmpty();
    }

    @Test
    void stockIsNeverNegative() {
        assertThatThrownBy(() -> new StockItem("X", -1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> apples.restock(-3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Inventory.reserve(order, List.of(new RequestedLine("APPLE", 0)), stock, Optional.empty()))
                .isInstanceOf(ReservationOutcome.Refused.class);
    }

    @Test
    void aTotalThatDoesNotFitALongFailsInsteadOfWrapping() {
        // A price stored before the bound existed: multiplied, it wrapped to a negative total.
        ReservationLine line = new ReservationLine("OLD", 2, Long.MAX_VALUE / 2 + 1);
        assertThatThrownBy(line::totalCents).isInstanceOf(ArithmeticException.class);
        Reservation twoLines = new Reservation(UUID.randomUUID(), Reservation.Status.RESERVED,
                List.of(new ReservationLine("A", 1, Long.MAX_VALUE), new ReservationLine("B", 1, 1)));
        assertThatThrownBy(twoLines::totalCents).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void restockRefusesAPriceAboveTheBound() {
        StockItem item = new StockItem("DEAR", 0, 0, 0);
        assertThatThrownBy(() -> item.restock(1, StockItem.MAX_PRICE_CENTS + 1))
                .isInstanceOf(IllegalArgumentException.class);
        item.restock(1, StockItem.MAX_PRICE_CENTS);
        assertThat(item.priceCents()).isEqualTo(StockItem.MAX_PRICE_CENTS);
    }
}
