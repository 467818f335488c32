package io.shopflow.saga.application;

import io.shopflow.saga.domain.DeadlinePolicy;
import io.shopflow.saga.domain.placeorder.OrderLine;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga.DeadlineOutcome;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadlineScanTest {

    private static final DeadlinePolicy POLICY = new DeadlinePolicy(Duration.ofSeconds(10), Duration.ofSeconds(60), 3,
            Duration.ofMinutes(2), 0.5, () -> 0.0);
    private static final Instant PLACED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant DUE = PLACED.plus(Duration.ofSeconds(10));

    @Test
    void resendsAtMostTheCapPerScanAndLeavesTheRestDueForTheNextScan() {
        List<PlaceOrderSaga> sagas = placed(5);

        DeadlineScan first = new DeadlineScan(2);
        assertThat(sagas).map(s -> first.expire(s, false, DUE, POLICY).outcome()).containsExactly(
                DeadlineOutcome.RESENT, DeadlineOutcome.RESENT, DeadlineOutcome.DEFERRED, DeadlineOutcome.DEFERRED,
                DeadlineOutcome.DEFERRED);
        assertThat(sagas.subList(2, 5)).allSatisfy(s -> {
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.deadline()).contains(DUE);
        });

        Instant later = DUE.plusSeconds(1);
        DeadlineScan second = new DeadlineScan(2);
        assertThat(sagas.subList(2, 5)).map(s -> second.expire(s, false, later, POLICY).outcome())
                .containsExactly(DeadlineOutcome.RESENT, DeadlineOutcome.RESENT, DeadlineOutcome.DEFERRED);
    }

    @Test
    void queuedSagasAreExtendedWithoutUsingTheScansResends() {
        List<PlaceOrderSaga> sagas = placed(3);
        DeadlineScan scan = new DeadlineScan(1);

        assertThat(scan.expire(sagas.get(0), true, DUE, POLICY).outcome()).isEqualTo(DeadlineOutcome.EXTENDED);
        assertThat(scan.expire(sagas.get(1), true, DUE, POLICY).outcome()).isEqualTo(DeadlineOutcome.EXTENDED);
        assertThat(scan.expire(sagas.get(2), false, DUE, POLICY).outcome()).isEqualTo(DeadlineOutcome.RESENT);
    }

    @Test
    void refusesACapThatWouldNeverResend() {
        assertThatThrownBy(() -> new DeadlineScan(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<PlaceOrderSaga> placed(int count) {
        return IntStream.range(0, count).mapToObj(i -> PlaceOrderSaga.start(UUID.randomUUID(), "alice",
                List.of(new OrderLine("SKU-1", 1)), PLACED, POLICY).saga()).toList();
    }
}
