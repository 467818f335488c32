package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.OrderRecords.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.shopflow.localstack.operations.TimelineTest.at;
import static io.shopflow.localstack.operations.TimelineTest.order;
import static io.shopflow.localstack.operations.TimelineTest.second;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OverloadReportTest {

    private static final double KNEE = 20;

    @Test
    void heldWhenTheExcessIsRefusedAndAcceptedOrdersStayFast() {
        // 60/s offered for 60 s: 20/s accepted, finished after 1 s; then the knee again, slower for 5 s.
        Map<Long, int[]> client = new TreeMap<>();
        List<Order> orders = new ArrayList<>();
        for (int s = 0; s < 120; s++) {
            client.put(second(s), s < 60 ? new int[] {60, 20, 40, 0} : new int[] {20, 20, 0, 0});
            for (int i = 0; i < 20; i++) {
                double placed = s + i / 20.0;
                orders.add(order(placed, placed + (s < 60 ? 1.0 : s < 65 ? 1.5 : 0.3)));
            }
        }

        OverloadReport report = OverloadReport.of(new Timeline(client, orders), KNEE, 3, 20, 0.4, at(0), at(60));

        // Orders placed in the last second of the overload finish after it: 59 of 60 seconds' worth within it.
        assertThat(report.completedPerSecond()).isCloseTo(59 * 20 / 60.0, within(1e-9));
        assertThat(report.throughputShare()).isCloseTo(0.983, within(0.001));
        assertThat(report.acceptedP99()).isCloseTo(1.0, within(1e-9));
        assertThat(report.offered()).isEqualTo(3600);
        assertThat(report.accepted()).isEqualTo(1200);
        assertThat(report.overloaded()).isEqualTo(2400);
        assertThat(report.timeouts()).isZero();
        // Windows [60, 65) and [65, 70) still have orders at 1 s or 1.5 s; [70, 75) is back at 0.3 s.
        assertThat(report.recoverySeconds()).hasValue(15.0);
        assertThat(report.holds()).isTrue();
        assertThat(report.lines()).contains(
                "| offered during the overload | 60.0/s (3,600 requests) | 60/s | yes |",
                "| completed sagas/s during the overload vs the knee's | 19.7/s vs 20.0/s = 98 % | >= 90 % | yes |",
                "| p99 placed -> final of the 1,200 orders accepted during the overload | 1.000 s | <= 2 s | yes |",
                "| orders rejected with TIMEOUT (whole run) | 0 | 0 | yes |",
                "| refused with 503 / failed otherwise | 2,400 (67 %) / 0 | the rest / 0 | yes |",
                "| p99 per 5 s window back within the knee's (0.400 s) after the overload | 15 s | <= 30 s | yes |");
    }

    @Test
    void collapsedWhenEverythingIsAcceptedAndTheQueuesGrow() {
        // Everything accepted, each order waits longer than the one before, some time out, completions fall.
        Map<Long, int[]> client = new TreeMap<>();
        List<Order> orders = new ArrayList<>();
        for (int s = 0; s < 60; s++) {
            client.put(second(s), new int[] {60, 60, 0, 0});
            for (int i = 0; i < 60; i++) {
                double placed = s + i / 60.0;
                orders.add(i % 10 == 0 ? new Order(at(placed), at(placed + 20), "TIMEOUT")
                        : order(placed, placed + 5 + placed * 4));
            }
        }

        OverloadReport report = OverloadReport.of(new Timeline(client, orders), KNEE, 3, 20, 0.4, at(0), at(60));

        assertThat(report.throughputHeld()).isFalse();
        assertThat(report.acceptedStayedFast()).isFalse();
        assertThat(report.timeouts()).isEqualTo(360);
        assertThat(report.recoverySeconds()).isEmpty();
        assertThat(report.holds()).isFalse();
        assertThat(report.lines()).anyMatch(l -> l.startsWith("| p99 per 5 s window") && l.contains("not within the run"));
    }
}
