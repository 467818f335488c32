package io.shopflow.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a ramp past the knee must show and Gatling's assertions cannot express, since they see a
 * whole run and never a part of it: completed orders per second (by the second a poll saw them
 * final), in {@code windowSeconds} windows, do not fall in the last {@code tailSeconds} of the
 * ramp below {@code minShare} of their peak (no collapse), and the p99 placed -> final of the
 * accepted orders (from just before the POST to the poll that saw them final) stays within
 * {@code maxP99Millis}. Refusals (503) are counted, not judged: under overload they are the point.
 */
final class Plateau {

    /** The outcome, with the figures it was decided on. */
    record Verdict(double peakPerSecond, double lowestTailPerSecond, long acceptedP99Millis, int completed,
                   int refused, double minShare, long maxP99Millis) {

        boolean held() {
            return lowestTailPerSecond >= minShare * peakPerSecond;
        }

        boolean fast() {
            return acceptedP99Millis <= maxP99Millis;
        }

        boolean holds() {
            return held() && fast();
        }

        String describe() {
            return String.format(Locale.ROOT, "completed orders/s: peak %.1f, lowest in the ramp's tail %.1f (%.0f %%,"
                            + " at least %.0f %%: %s); accepted orders' p99 placed -> final %d ms (at most %d ms: %s);"
                            + " %d orders accepted and final, %d refused with 503 (%.0f %%)", peakPerSecond,
                    lowestTailPerSecond,
                    peakPerSecond == 0 ? 0 : 100 * lowestTailPerSecond / peakPerSecond, 100 * minShare,
                    held() ? "held" : "FELL BELOW", acceptedP99Millis, maxP99Millis, fast() ? "ok" : "OVER",
                    completed, refused, completed + refused == 0 ? 0 : 100.0 * refused / (completed + refused));
        }
    }

    private final long rampMillis;
    private final int tailSeconds;
    private final int windowSeconds;
    private final double minShare;
    private final long maxP99Millis;
    private final AtomicLong startMillis = new AtomicLong();
    private final Map<Long, AtomicInteger> completedBySecond = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Long> acceptedLatencies = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();

    Plateau(long rampSeconds, int tailSeconds, int windowSeconds, double minShare, long maxP99Millis) {
        this.rampMillis = rampSeconds * 1000;
        this.tailSeconds = tailSeconds;
        this.windowSeconds = windowSeconds;
        this.minShare = minShare;
        this.maxP99Millis = maxP99Millis;
    }

    /** A virtual user starts: the first one starts the ramp's clock. */
    void arrived(long nowMillis) {
        startMillis.compareAndSet(0, nowMillis);
        inFlight.incrementAndGet();
    }

    void refused() {
        refused.incrementAndGet();
    }

    /** An accepted order was seen final at {@code nowMillis}; its POST left at {@code placedMillis}. */
    void completed(long placedMillis, long nowMillis) {
        completedBySecond.computeIfAbsent(nowMillis / 1000, s -> new AtomicInteger()).incrementAndGet();
        acceptedLatencies.add(nowMillis - placedMillis);
    }

    /** A virtual user is done, whatever happened to its order. */
    void left() {
        inFlight.decrementAndGet();
    }

    /** Virtual users still placing or following an order. */
    int inFlight() {
        return inFlight.get();
    }

    /** The verdict over the ramp: windows from its start to its end, the tail being its last {@code tailSeconds}. */
    Verdict verdict() {
        long start = startMillis.get() / 1000;
        long end = (startMillis.get() + rampMillis) / 1000;
        long tailFrom = end - tailSeconds;
        double peak = 0;
        double lowestTail = Double.MAX_VALUE;
        for (long from = start; from + windowSeconds <= end; from += windowSeconds) {
            int completed = 0;
            for (long s = from; s < from + windowSeconds; s++) {
                AtomicInteger count = completedBySecond.get(s);
                completed += count == null ? 0 : count.get();
            }
            double perSecond = (double) completed / windowSeconds;
            peak = Math.max(peak, perSecond);
            if (from >= tailFrom) {
                lowestTail = Math.min(lowestTail, perSecond);
            }
        }
        List<Long> latencies = new ArrayList<>(acceptedLatencies);
        latencies.sort(null);
        long p99 = latencies.isEmpty() ? 0
                : latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(0.99 * latencies.size()) - 1));
        return new Verdict(peak, lowestTail == Double.MAX_VALUE ? 0 : lowestTail, p99, latencies.size(),
                refused.get(), minShare, maxP99Millis);
    }
}
