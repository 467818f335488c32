package io.shopflow.localstack.operations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What an overload did to a system that ran at its knee, against the targets of "overload without
 * collapse": completed sagas/s during the overload at least {@value #MIN_THROUGHPUT_SHARE} of the
 * knee's, p99 placed -> final of the orders accepted during it at most {@value #MAX_P99_SECONDS} s,
 * no order rejected with {@code TIMEOUT}, the rest refused (503), and within
 * {@value #MAX_RECOVERY_SECONDS} s of its end the p99 (per {@value #WINDOW_SECONDS} s window of
 * completions) back within the knee's.
 */
record OverloadReport(double knee, double factor, Duration length, double kneeCompletedPerSecond, double kneeP99,
                      int offered, int accepted, int overloaded, int failed, double completedPerSecond,
                      double acceptedP99, long timeouts, OptionalDouble recoverySeconds) {

    static final double MIN_THROUGHPUT_SHARE = 0.9;
    static final double MAX_P99_SECONDS = 2.0;
    static final double MAX_RECOVERY_SECONDS = 30;
    static final int WINDOW_SECONDS = 5;

    /**
     * The overload ran from {@code from} to {@code to} at {@code factor} times {@code knee}; the
     * knee's completed/s and p99 come from the capacity step that held at that rate.
     */
    static OverloadReport of(Timeline timeline, double knee, double factor, double kneeCompletedPerSecond,
                             double kneeP99, Instant from, Instant to) {
        int[] requests = timeline.requests(from, to);
        return new OverloadReport(knee, factor, Duration.between(from, to), kneeCompletedPerSecond, kneeP99,
                requests[OrderLoad.OFFERED], requests[OrderLoad.ACCEPTED], requests[OrderLoad.OVERLOADED],
                requests[OrderLoad.FAILED], timeline.completedPerSecond(from, to), timeline.p99OfPlaced(from, to),
                timeline.rejected("TIMEOUT"),
                timeline.secondsUntilP99Within(to, Duration.ofSeconds(WINDOW_SECONDS), kneeP99));
    }

    /** Completed sagas/s during the overload as a share of the knee's. */
    double throughputShare() {
        return completedPerSecond / kneeCompletedPerSecond;
    }

    boolean throughputHeld() {
        return throughputShare() >= MIN_THROUGHPUT_SHARE;
    }

    boolean acceptedStayedFast() {
        return acceptedP99 <= MAX_P99_SECONDS;
    }

    boolean recovered() {
        return recoverySeconds.isPresent() && recoverySeconds.getAsDouble() <= MAX_RECOVERY_SECONDS;
    }

    /** Every target met. */
    boolean holds() {
        return throughputHeld() && acceptedStayedFast() && timeouts == 0 && recovered();
    }

    /** The summary as a Markdown table, one line each. */
    List<String> lines() {
        double seconds = length.toMillis() / 1000.0;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Overload: %.1fx the knee (%.0f orders/s) = %.0f/s offered for %.0f s, "
                + "then %.0f/s again (placed -> final from order-service's timestamps):", factor, knee,
                factor * knee, seconds, knee));
        lines.add("| | measured | target | met? |");
        lines.add("| --- | --- | --- | --- |");
        lines.add(String.format(Locale.ROOT, "| offered during the overload | %.1f/s (%,d requests) | %.0f/s | %s |",
                offered / seconds, offered, factor * knee, offered >= 0.95 * factor * knee * seconds
                        ? "yes" : "no: the load generator fell behind"));
        lines.add(String.format(Locale.ROOT, "| completed sagas/s during the overload vs the knee's | %.1f/s vs %.1f/s"
                        + " = %.0f %% | >= %.0f %% | %s |", completedPerSecond, kneeCompletedPerSecond,
                100 * throughputShare(), 100 * MIN_THROUGHPUT_SHARE, yes(throughputHeld())));
        lines.add(String.format(Locale.ROOT, "| p99 placed -> final of the %,d orders accepted during the overload"
                + " | %s | <= %.0f s | %s |", accepted, seconds(acceptedP99), MAX_P99_SECONDS, yes(acceptedStayedFast())));
        lines.add(String.format(Locale.ROOT, "| orders rejected with TIMEOUT (whole run) | %d | 0 | %s |", timeouts,
                yes(timeouts == 0)));
        lines.add(String.format(Locale.ROOT, "| refused with 503 / failed otherwise | %,d (%.0f %%) / %,d | the rest"
                + " / 0 | %s |", overloaded, offered == 0 ? 0 : 100.0 * overloaded / offered, failed, yes(failed == 0)));
        lines.add(String.format(Locale.ROOT, "| p99 per %d s window back within the knee's (%s) after the overload"
                        + " | %s | <= %.0f s | %s |", WINDOW_SECONDS, seconds(kneeP99),
                recoverySeconds.isPresent() ? String.format(Locale.ROOT, "%.0f s", recoverySeconds.getAsDouble())
                        : "not within the run", MAX_RECOVERY_SECONDS, yes(recovered())));
        return lines;
    }

    private static String yes(boolean met) {
        return met ? "yes" : "no";
    }

    private static String seconds(double value) {
        return Double.isInfinite(value) ? "unbounded (orders not final)"
                : String.format(Locale.ROOT, "%.3f s", value);
    }
}
