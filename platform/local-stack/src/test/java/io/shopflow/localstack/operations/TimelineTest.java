package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.OrderRecords.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TimelineTest {

    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void countsRequestsBySecondSentAndOrdersBySecondFinishedUntilTheLastOrderIsFinal() {
        Map<Long, int[]> client = new TreeMap<>(Map.of(
                second(0), new int[] {3, 2, 1, 0},
                second(2), new int[] {4, 1, 2, 1}));
        List<Order> orders = List.of(
                order(0.1, 0.6), order(0.2, 1.1), order(2.0, 4.5), new Order(at(2.5), null, null));

        Timeline timeline = new Timeline(client, orders);

        assertThat(timeline.start()).isEqualTo(T0);
        assertThat(timeline.end()).isEqualTo(at(5));
        assertThat(timeline.seconds()).extracting(Timeline.Second::offered).containsExactly(3, 0, 4, 0, 0);
        assertThat(timeline.seconds()).extracting(Timeline.Second::overloaded).containsExactly(1, 0, 2, 0, 0);
        assertThat(timeline.seconds()).extracting(Timeline.Second::completed).containsExactly(1, 1, 0, 0, 1);
        assertThat(timeline.requests(at(0), at(3))).containsExactly(7, 3, 3, 1);
        assertThat(timeline.unfinished()).isEqualTo(1);
    }

    @Test
    void mergesLoadsSecondBySecond() {
        Map<Long, int[]> merged = Timeline.merge(List.of(
                Map.of(second(0), new int[] {2, 2, 0, 0}),
                Map.of(second(0), new int[] {5, 1, 4, 0}, second(1), new int[] {1, 0, 0, 1})));

        assertThat(merged.get(second(0))).containsExactly(7, 3, 4, 0);
        assertThat(merged.get(second(1))).containsExactly(1, 0, 0, 1);
    }

    @Test
    void completedPerSecondCountsOrdersThatBecameFinalInTheRange() {
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            orders.add(order(i * 0.1, i * 0.1 + 0.5));
        }
        Timeline timeline = new Timeline(Map.of(), orders);

        // Finished at 0.5, 0.6, ... 10.4 s: 45 of them within [0, 5).
        assertThat(timeline.completedPerSecond(at(0), at(5))).isEqualTo(9.0);
    }

    @Test
    void p99OfPlacedIsUnboundedWhenMoreThanOnePercentOfTheOrdersAreNotFinal() {
        List<Order> orders = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            orders.add(order(1, 1.2));
        }
        orders.add(order(1, 3));
        Timeline oneSlow = new Timeline(Map.of(), orders);
        orders.add(new Order(at(1), null, null));
        orders.add(new Order(at(1), null, null));
        Timeline twoLost = new Timeline(Map.of(), orders);

        assertThat(oneSlow.p99OfPlaced(at(0), at(2))).isCloseTo(0.2, within(1e-9));
        assertThat(twoLost.p99OfPlaced(at(0), at(2))).isInfinite();
        assertThat(twoLost.p99OfPlaced(at(5), at(6))).isNaN();
    }

    @Test
    void windowsGiveTheP99OfTheOrdersThatBecameFinalInThem() {
        Timeline timeline = new Timeline(Map.of(), List.of(order(0, 0.3), order(1, 3.0), order(2, 3.5),
                order(8, 8.4), order(11, 11.1)));

        List<Timeline.Window> windows = timeline.windows(at(0), Duration.ofSeconds(5));

        assertThat(windows).extracting(Timeline.Window::completed).containsExactly(3, 1, 1);
        assertThat(windows.get(0).p99()).isCloseTo(2.0, within(1e-9));
        assertThat(windows.get(1).p99()).isCloseTo(0.4, within(1e-9));
        assertThat(windows.get(2).to()).isEqualTo(at(15));
    }

    @Test
    void latencyIsBackWithinABoundAtTheEndOfTheFirstWindowWithinIt() {
        List<Order> orders = new ArrayList<>();
        // Slow (2 s) until 10 s, an empty window, then fast (0.3 s).
        for (double t = 0; t < 10; t += 0.5) {
            orders.add(order(t, t + 2));
        }
        for (double t = 20; t < 30; t += 0.5) {
            orders.add(order(t, t + 0.3));
        }
        Timeline timeline = new Timeline(Map.of(), orders);

        assertThat(timeline.secondsUntilP99Within(at(5), Duration.ofSeconds(5), 0.5)).hasValue(20.0);
        assertThat(timeline.secondsUntilP99Within(at(5), Duration.ofSeconds(5), 0.1)).isEmpty();
    }

    @Test
    void drainedAfterIsWhenTheLastOrderPlacedBeforeBecameFinal() {
        Timeline drained = new Timeline(Map.of(), List.of(order(1, 4), order(2, 12.5), order(11, 11.2),
                order(13, 30)));
        Timeline notYet = new Timeline(Map.of(), List.of(order(1, 4), new Order(at(2), null, null)));
        Timeline alreadyIdle = new Timeline(Map.of(), List.of(order(1, 4)));

        assertThat(drained.drainedAfter(at(10))).hasValue(2.5);
        assertThat(notYet.drainedAfter(at(10))).isEmpty();
        assertThat(alreadyIdle.drainedAfter(at(10))).hasValue(0.0);
    }

    static Order order(double placedSecond, double finishedSecond) {
        return new Order(at(placedSecond), at(finishedSecond), null);
    }

    static Instant at(double second) {
        return T0.plusMillis(Math.round(second * 1000));
    }

    static long second(int offset) {
        return T0.getEpochSecond() + offset;
    }
}
