package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.OrderRecords.Order;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * A load run second by second, seen from both ends: what the client offered and how each request
 * was answered ({@link OrderLoad#perSecond()}, by the second it was sent), and when order-service
 * finished the orders (its own {@code placed_at} / {@code updated_at}, by the second they became
 * final), so that no client is in the latency. Covers the run from the first request sent to the
 * last order finished.
 */
final class Timeline {

    /** One second: the requests sent in it by outcome, and the orders that became final in it. */
    record Second(Instant at, int offered, int accepted, int overloaded, int failed, int completed) {
    }

    /** A stretch of the run: the orders that became final in it and their p99 placed -> final (NaN: none). */
    record Window(Instant from, Instant to, int completed, double p99) {
    }

    private final List<Second> seconds;
    private final List<Order> orders;

    /** {@code client}: counts per epoch second as {@link OrderLoad#perSecond()} gives them, of one or more loads. */
    Timeline(Map<Long, int[]> client, List<Order> orders) {
        this.orders = List.copyOf(orders);
        Map<Long, Integer> completed = new TreeMap<>();
        orders.stream().filter(o -> o.finished() != null)
                .forEach(o -> completed.merge(o.finished().getEpochSecond(), 1, Integer::sum));
        long first = client.keySet().stream().mapToLong(Long::longValue).min()
                .orElse(completed.keySet().stream().mapToLong(Long::longValue).min().orElse(0));
        long last = Math.max(client.keySet().stream().mapToLong(Long::longValue).max().orElse(first),
                completed.keySet().stream().mapToLong(Long::longValue).max().orElse(first));
        List<Second> all = new ArrayList<>();
        for (long s = first; s <= last; s++) {
            int[] counts = client.getOrDefault(s, new int[4]);
            all.add(new Second(Instant.ofEpochSecond(s), counts[OrderLoad.OFFERED], counts[OrderLoad.ACCEPTED],
                    counts[OrderLoad.OVERLOADED], counts[OrderLoad.FAILED], completed.getOrDefault(s, 0)));
        }
        this.seconds = List.copyOf(all);
    }

    /** Sums the counts of several loads' {@link OrderLoad#perSecond()} second by second. */
    static Map<Long, int[]> merge(List<Map<Long, int[]>> loads) {
        Map<Long, int[]> merged = new TreeMap<>();
        loads.forEach(load -> load.forEach((second, counts) -> merged.merge(second, counts.clone(), (a, b) -> {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
            return a;
        })));
        return merged;
    }

    List<Second> seconds() {
        return seconds;
    }

    /** Where the run starts (its first whole second). */
    Instant start() {
        return seconds.isEmpty() ? Instant.EPOCH : seconds.get(0).at();
    }

    /** Where the timeline ends: the end of its last second. */
    Instant end() {
        return seconds.isEmpty() ? Instant.EPOCH : seconds.get(seconds.size() - 1).at().plusSeconds(1);
    }

    /** Requests sent in the whole seconds of [from, to), by outcome: offered, accepted, overloaded, failed. */
    int[] requests(Instant from, Instant to) {
        int[] sums = new int[4];
        seconds.stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(to)).forEach(s -> {
            sums[OrderLoad.OFFERED] += s.offered();
            sums[OrderLoad.ACCEPTED] += s.accepted();
            sums[OrderLoad.OVERLOADED] += s.overloaded();
            sums[OrderLoad.FAILED] += s.failed();
        });
        return sums;
    }

    /** Orders that became final in [from, to), per second. */
    double completedPerSecond(Instant from, Instant to) {
        long completed = orders.stream().filter(o -> o.finished() != null && within(o.finished(), from, to)).count();
        return completed / (Duration.between(from, to).toMillis() / 1000.0);
    }

    /**
     * p99 placed -> final of the orders placed in [from, to), in seconds; an order that is not
     * final counts as infinitely slow, so more than 1 % of them make it infinite. NaN when none was placed.
     */
    double p99OfPlaced(Instant from, Instant to) {
        return Capacity.percentile(orders.stream().filter(o -> within(o.placed(), from, to))
                .mapToDouble(Order::placedToFinalSeconds).sorted().toArray(), 0.99);
    }

    /** Orders of the run rejected for {@code reason} (e.g. TIMEOUT). */
    long rejected(String reason) {
        return orders.stream().filter(o -> reason.equals(o.rejectionReason())).count();
    }

    /** Orders of the run that are not final. */
    long unfinished() {
        return orders.stream().filter(o -> o.finished() == null).count();
    }

    /** Consecutive windows of {@code size} from {@code from} to the end of the timeline (the last one may be shorter). */
    List<Window> windows(Instant from, Duration size) {
        List<Window> windows = new ArrayList<>();
        for (Instant start = from; start.isBefore(end()); start = start.plus(size)) {
            Instant windowStart = start;
            Instant windowEnd = start.plus(size);
            double[] latencies = orders.stream()
                    .filter(o -> o.finished() != null && within(o.finished(), windowStart, windowEnd))
                    .mapToDouble(Order::placedToFinalSeconds).sorted().toArray();
            windows.add(new Window(windowStart, windowEnd, latencies.length, Capacity.percentile(latencies, 0.99)));
        }
        return windows;
    }

    /**
     * Seconds from {@code from} to the end of the first window of {@code size} whose p99 placed -> final
     * is within {@code p99Seconds}; empty when none is (windows in which no order finished do not count).
     */
    OptionalDouble secondsUntilP99Within(Instant from, Duration size, double p99Seconds) {
        return windows(from, size).stream().filter(w -> w.completed() > 0 && w.p99() <= p99Seconds).findFirst()
                .map(w -> OptionalDouble.of(Duration.between(from, w.to()).toMillis() / 1000.0))
                .orElse(OptionalDouble.empty());
    }

    /**
     * Seconds from {@code at} until the last order placed before it was final (0 when all already
     * were): how long the backlog of a fault or an overload took to drain. Empty while one is not final.
     */
    OptionalDouble drainedAfter(Instant at) {
        List<Order> before = orders.stream().filter(o -> o.placed().isBefore(at)).toList();
        if (before.stream().anyMatch(o -> o.finished() == null)) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(before.stream().map(Order::finished).filter(f -> f.isAfter(at))
                .mapToDouble(f -> Duration.between(at, f).toMillis() / 1000.0).max().orElse(0));
    }

    private static boolean within(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }
}
