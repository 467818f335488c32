package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.Launcher;
import io.shopflow.localstack.launcher.OpsClient;
import io.shopflow.localstack.launcher.OrderRecords;
import io.shopflow.localstack.launcher.StackLayout;
import io.shopflow.testing.SvgChart;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ToIntFunction;

/**
 * Whole-system capacity on the local stack ({@code local-stack.sh capacity [--rates 5,10,20]
 * [--step 45] [--warm-up 120] [--charts DIR] [--overload 3]}): after a warm-up, for each rate in turn, new orders at that rate (open model, POSTs
 * only: nobody polls) for the step time; then it waits until every accepted order is final and
 * reads order-service's own timestamps, so the latency is the saga's (placed -> approved or
 * rejected) without any client in it. Per step: orders completed per second while the load ran,
 * placed -> final p50/p99/max, refused requests, and each process's CPU (share of one core) and
 * memory. The run stops after the first step that breaks: fewer than 90 % of the offered
 * orders completed per second, more than 1 % refused, or orders not final two minutes later.
 * Prints a table and draws throughput against latency as {@code capacity.svg}.
 *
 * <p>With {@code --overload <factor>} it goes past the knee (the last step that held): factor x
 * the knee for {@value #OVERLOAD_SECONDS} s, then the knee again for {@value #OVERLOAD_SECONDS} s,
 * and reports what that did against the targets of "overload without collapse"
 * ({@link OverloadReport}), with a timeline of the whole run from the first step on, second by
 * second (offered, accepted, refused, completed, p99 placed -> final per 5 s window), printed and
 * drawn as {@code overload.svg}.
 */
public final class Capacity {

    private static final double TARGET_P99_SECONDS = 1.0;
    private static final int CUSTOMERS = 100;
    static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);
    private static final int OVERLOAD_SECONDS = 60;

    public record Step(double rate, int accepted, int refused, double completedPerSecond, double p50, double p99, double max,
                int unfinished, Map<String, ProcessSampler.Usage> usage) {

        boolean broken() {
            return unfinished > 0 || refused > 0.01 * (accepted + refused) || completedPerSecond < 0.9 * rate;
        }

        boolean withinTarget() {
            return !broken() && refused == 0 && p99 <= TARGET_P99_SECONDS;
        }

        /** CPU milliseconds {@code process} spent per completed saga: its share of a core over the sagas per second. */
        double cpuMillisPerSaga(String process) {
            return usage.get(process).cpuPercent() * 10 / completedPerSecond;
        }

        /** The same, summed over the stack's processes (the load generator is not the stack's). */
        double cpuMillisPerSaga() {
            return usage.keySet().stream().filter(name -> !name.equals(ProcessSampler.LOAD_GENERATOR))
                    .mapToDouble(this::cpuMillisPerSaga).sum();
        }
    }

    private final Launcher launcher;
    private final StackLayout layout;
    private final OpsClient ops;
    /** Every load of the run after the warm-up, for its timeline. */
    private final List<OrderLoad> loads = new ArrayList<>();

    public Capacity(Launcher launcher) throws Exception {
        this.launcher = launcher;
        this.layout = launcher.layout();
        this.ops = new OpsClient(layout);
    }

    /** Runs the ladder (and the overload when asked for); returns the steps it measured. */
    public List<Step> run(Options options) throws Exception {
        List<Double> rates = options.rates();
        if (!ProcessSampler.supported()) {
            System.out.println("No /proc here (Linux only): CPU and memory per process read 0; throughput and latency"
                    + " are measured.");
        }
        // Consumer groups join, pools fill and eight JVMs compile their hot code on two cores: the
        // first orders of a fresh stack take seconds. A warm-up at the first rate, not reported.
        System.out.printf("%n== warm-up: %.0f orders/s for %d s (not reported)%n", rates.get(0),
                options.warmUp().toSeconds());
        measure(rates.get(0), options.warmUp());
        loads.clear();
        List<Step> steps = new ArrayList<>();
        Map<Double, String> phases = new LinkedHashMap<>();
        Instant first = Instant.now();
        for (double rate : rates) {
            System.out.printf("%n== %.0f orders/s for %d s%n", rate, options.step().toSeconds());
            phases.put(Duration.between(first, Instant.now()).toMillis() / 1000.0,
                    String.format(Locale.ROOT, "%.0f/s", rate));
            Step measured = measure(rate, options.step());
            steps.add(measured);
            System.out.printf(Locale.ROOT, "   %d accepted, %d refused, %.1f completed/s, placed -> final p50 %.3f s,"
                            + " p99 %.3f s, %.1f ms CPU per saga%s%n", measured.accepted(), measured.refused(),
                    measured.completedPerSecond(), measured.p50(), measured.p99(), measured.cpuMillisPerSaga(),
                    measured.broken() ? "  (breaks)" : "");
            if (measured.broken()) {
                break;
            }
        }
        print(steps);
        Map<String, List<double[]>> curve = new LinkedHashMap<>();
        curve.put("p99 placed -> final", steps.stream().map(s -> new double[] {s.completedPerSecond(), s.p99()}).toList());
        curve.put("p50 placed -> final", steps.stream().map(s -> new double[] {s.completedPerSecond(), s.p50()}).toList());
        Path chart = options.charts().resolve("capacity.svg");
        SvgChart.write(chart, SvgChart.lines("Whole system on the local stack: saga latency vs throughput ("
                        + Instant.now().toString().substring(0, 10) + ")", "completed sagas per second",
                "seconds, placed -> final (log scale)", curve, TARGET_P99_SECONDS, "p99 target 1 s",
                steps.stream().map(s -> String.format(Locale.ROOT, "%.0f/s offered", s.rate())).toList()));
        System.out.println("Chart: " + chart);
        Optional<Step> knee = steps.stream().filter(s -> !s.broken()).reduce((a, b) -> b);
        if (options.overload() > 0 && knee.isEmpty()) {
            System.out.println("\nNo step held: no knee to overload; start --rates lower");
        } else if (options.overload() > 0) {
            overload(knee.get(), options.overload(), first, phases, options.charts());
        }
        return steps;
    }

    /**
     * {@code factor} x the knee's rate for {@value #OVERLOAD_SECONDS} s, then the knee's rate for as
     * long, one load throughout (its {@value #CUSTOMERS} customers have credit for some 30,000 orders,
     * enough up to a knee of about 200/s); then, once every order is final,
     * the timeline since {@code first}, the report against the targets and the chart.
     */
    private void overload(Step knee, double factor, Instant first, Map<Double, String> phases, Path charts)
            throws Exception {
        double rate = factor * knee.rate();
        System.out.printf(Locale.ROOT, "%n== overload: %.0f orders/s (%.1fx the knee, %.0f/s) for %d s, then %.0f/s"
                + " for %d s%n", rate, factor, knee.rate(), OVERLOAD_SECONDS, knee.rate(), OVERLOAD_SECONDS);
        OrderLoad load = new OrderLoad(ops, "overload-" + UUID.randomUUID().toString().substring(0, 6),
                rate, CUSTOMERS);
        loads.add(load);
        Instant from = Instant.now();
        phases.put(Duration.between(first, from).toMillis() / 1000.0,
                String.format(Locale.ROOT, "%.0f/s (%.1fx)", rate, factor));
        load.start();
        Thread.sleep(OVERLOAD_SECONDS * 1000L);
        load.changeRate(knee.rate());
        Instant to = Instant.now();
        phases.put(Duration.between(first, to).toMillis() / 1000.0,
                String.format(Locale.ROOT, "%.0f/s", knee.rate()));
        Thread.sleep(OVERLOAD_SECONDS * 1000L);
        phases.put(Duration.between(first, Instant.now()).toMillis() / 1000.0, "stop");
        load.stop();
        List<String> customers = loads.stream().flatMap(l -> l.customers().stream()).toList();
        OrderRecords records = new OrderRecords(layout);
        List<OrderRecords.Order> orders = records.ofCustomers(customers);
        Instant deadline = Instant.now().plus(DRAIN_TIMEOUT);
        while (orders.stream().anyMatch(o -> o.finished() == null) && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            orders = records.ofCustomers(customers);
        }
        Timeline timeline = new Timeline(Timeline.merge(loads.stream().map(OrderLoad::perSecond).toList()), orders);
        printTimeline(timeline);
        OverloadReport report = OverloadReport.of(timeline, knee.rate(), factor, knee.completedPerSecond(),
                knee.p99(), from, to);
        System.out.println();
        report.lines().forEach(System.out::println);
        System.out.println(report.holds() ? "Every overload target met" : "Overload targets missed: the rows with no");
        if (timeline.unfinished() > 0) {
            System.out.printf("%d orders still not final %d s after the load stopped%n", timeline.unfinished(),
                    DRAIN_TIMEOUT.toSeconds());
        }
        Path chart = charts.resolve("overload.svg");
        SvgChart.write(chart, chart(timeline, first, phases, factor));
        System.out.println("Chart: " + chart);
    }

    /** Per 5 s window from the first step on: what was offered and how it was answered, completions, p99. */
    private static void printTimeline(Timeline timeline) {
        Duration size = Duration.ofSeconds(OverloadReport.WINDOW_SECONDS);
        System.out.printf("%nTimeline per %d s window (requests by the second they were sent; completions and p99"
                + " placed -> final by the second the order became final):%n", size.toSeconds());
        System.out.println("| t (s) | offered/s | accepted/s | refused (503)/s | failed/s | completed/s | p99 placed -> final |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        double seconds = size.toSeconds();
        for (Timeline.Window w : timeline.windows(timeline.start(), size)) {
            int[] r = timeline.requests(w.from(), w.to());
            System.out.printf(Locale.ROOT, "| %d | %.1f | %.1f | %.1f | %.1f | %.1f | %s |%n",
                    Duration.between(timeline.start(), w.from()).toSeconds(), r[OrderLoad.OFFERED] / seconds,
                    r[OrderLoad.ACCEPTED] / seconds, r[OrderLoad.OVERLOADED] / seconds, r[OrderLoad.FAILED] / seconds,
                    w.completed() / seconds, Double.isNaN(w.p99()) ? "-" : String.format(Locale.ROOT, "%.3f s", w.p99()));
        }
    }

    /** The timeline as a chart: requests and completions per second on the left, p99 per 5 s window on the right. */
    private static String chart(Timeline timeline, Instant first, Map<Double, String> phases, double factor) {
        double offset = Duration.between(first, timeline.start()).toMillis() / 1000.0;
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        List<Timeline.Second> seconds = timeline.seconds();
        rates.put("offered/s", points(seconds, offset, Timeline.Second::offered));
        rates.put("accepted/s", points(seconds, offset, Timeline.Second::accepted));
        rates.put("refused (503)/s", points(seconds, offset, Timeline.Second::overloaded));
        rates.put("completed/s", points(seconds, offset, Timeline.Second::completed));
        long window = OverloadReport.WINDOW_SECONDS;
        List<double[]> p99 = timeline.windows(timeline.start(), Duration.ofSeconds(window)).stream()
                .map(w -> new double[] {offset + Duration.between(timeline.start(), w.from()).toSeconds() + window / 2.0,
                        w.p99()}).toList();
        return SvgChart.timeline(String.format(Locale.ROOT, "Overload on the local stack: %.1fx the knee, then the"
                        + " knee again (%s)", factor, Instant.now().toString().substring(0, 10)),
                "seconds since the first step", "orders per second", rates,
                "seconds, p99 placed -> final per " + window + " s", Map.of("p99 placed -> final", p99), phases);
    }

    private static List<double[]> points(List<Timeline.Second> seconds, double offset,
                                         ToIntFunction<Timeline.Second> value) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < seconds.size(); i++) {
            points.add(new double[] {offset + i, value.applyAsInt(seconds.get(i))});
        }
        return points;
    }

    /** New orders at {@code rate} for {@code duration}, then waits until they are final; see the class comment. */
    Step measure(double rate, Duration duration) throws Exception {
        String run = "capacity-" + UUID.randomUUID().toString().substring(0, 6);
        OrderLoad load = new OrderLoad(ops, run, rate, CUSTOMERS);
        loads.add(load);
        ProcessSampler sampler = new ProcessSampler(ProcessSampler.stack(launcher));
        Instant start = Instant.now();
        load.start();
        sampler.start();
        Thread.sleep(duration.toMillis());
        Map<String, ProcessSampler.Usage> usage = sampler.stop();
        Instant end = Instant.now();
        load.stop();

        List<String> orders = new ArrayList<>(load.accepted());
        Invariants invariants = new Invariants(layout);
        int unfinished = invariants.awaitFinal(orders, DRAIN_TIMEOUT);
        double[] latencies = new double[0];
        int completedInWindow = 0;
        try (Connection c = new OrderRecords(layout).connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT EXTRACT(EPOCH FROM (updated_at - placed_at)), updated_at <= ? FROM orders "
                        + "WHERE id::text = ANY(?) AND status IN ('APPROVED', 'REJECTED')")) {
            ps.setTimestamp(1, Timestamp.from(end));
            ps.setArray(2, c.createArrayOf("text", orders.toArray()));
            List<Double> values = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getDouble(1));
                    completedInWindow += rs.getBoolean(2) ? 1 : 0;
                }
            }
            latencies = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
        double seconds = Duration.between(start, end).toMillis() / 1000.0;
        return new Step(rate, orders.size(), load.refused(), completedInWindow / seconds, percentile(latencies, 0.50),
                percentile(latencies, 0.99), latencies.length == 0 ? Double.NaN : latencies[latencies.length - 1],
                unfinished, usage);
    }

    private static void print(List<Step> steps) {
        System.out.printf("%nWhole system on the local stack, %s, %d cores (POST /orders only, latency from"
                + " order-service's timestamps):%n", Instant.now(), Runtime.getRuntime().availableProcessors());
        System.out.println("| offered/s | accepted | refused | completed sagas/s | p50 | p99 | max | CPU ms/saga | result |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Step s : steps) {
            System.out.printf(Locale.ROOT, "| %.0f | %d | %d | %.1f | %.3f s | %.3f s | %.3f s | %.1f | %s |%n", s.rate(),
                    s.accepted(), s.refused(), s.completedPerSecond(), s.p50(), s.p99(), s.max(), s.cpuMillisPerSaga(),
                    s.withinTarget() ? "p99 within 1 s" : s.broken() ? "breaks" : "p99 over 1 s");
        }
        List<String> names = steps.get(0).usage().keySet().stream().toList();
        System.out.println("\nCPU (% of one core) / CPU ms per completed saga / highest memory (PSS, MB) per process and step:");
        System.out.print("| process |");
        steps.forEach(s -> System.out.printf(Locale.ROOT, " %.0f/s |", s.rate()));
        System.out.println("\n| --- |" + " --- |".repeat(steps.size()));
        for (String name : names) {
            System.out.print("| " + name + " |");
            steps.forEach(s -> {
                ProcessSampler.Usage u = s.usage().get(name);
                System.out.printf(Locale.ROOT, " %s |", u == null ? "-" : String.format(Locale.ROOT,
                        "%.0f %% / %.1f ms / %d MB", u.cpuPercent(), s.cpuMillisPerSaga(name), u.maxPssMegabytes()));
            });
            System.out.println();
        }
        steps.stream().filter(Step::withinTarget).reduce((a, b) -> b).ifPresentOrElse(
                s -> System.out.printf(Locale.ROOT, "%nSustained with p99 placed -> final <= 1 s: %.1f sagas/s (offered %.0f/s)%n",
                        s.completedPerSecond(), s.rate()),
                () -> System.out.println("\nNo step kept p99 placed -> final within 1 s"));
        steps.stream().filter(Step::broken).findFirst().ifPresentOrElse(
                s -> System.out.printf(Locale.ROOT, "Breaking point: %.0f orders/s offered, %.1f completed/s%n", s.rate(),
                        s.completedPerSecond()),
                () -> System.out.println("No step broke: raise --rates to find the breaking point"));
    }

    /** Nearest rank: the smallest value with at least {@code p} of them at or below it; NaN when there is none. */
    static double percentile(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    /** The options of {@code local-stack.sh capacity}. */
    public static final class Arguments {

        @Spec(Spec.Target.MIXEE)
        private CommandSpec command;

        @Option(names = "--rates", split = ",", paramLabel = "<orders/s>", defaultValue = "5,10,15,20,30,40",
                description = "The rates, in turn. Default: ${DEFAULT-VALUE}.")
        private List<Double> rates;

        @Option(names = "--step", paramLabel = "<seconds>", defaultValue = "45",
                description = "How long each rate runs. Default: ${DEFAULT-VALUE}.")
        private long step;

        @Option(names = "--warm-up", paramLabel = "<seconds>", defaultValue = "120",
                description = "A warm-up at the first rate first, not reported. Default: ${DEFAULT-VALUE}.")
        private long warmUp;

        @Option(names = "--charts", paramLabel = "<dir>",
                description = "Where capacity.svg and overload.svg go. Default: docs/benchmarks.")
        private Path charts;

        @Option(names = "--overload", paramLabel = "<factor>",
                description = "After the ladder, <factor> x the knee (the last step that held) for " + OVERLOAD_SECONDS
                        + " s, then the knee for as long, against the targets of overload without collapse;"
                        + " more than 1. Default: none.")
        private double overload;

        /** The options, checked: an overload is more than the knee. */
        public Options options(Path repository) {
            if (overload != 0 && overload <= 1) {
                throw new ParameterException(command.commandLine(),
                        "--overload is a factor over the knee, more than 1: " + overload);
            }
            return new Options(rates, Duration.ofSeconds(step), Duration.ofSeconds(warmUp),
                    charts == null ? repository.resolve("docs/benchmarks") : charts.toAbsolutePath(), overload);
        }
    }

    /** {@code overload}: the factor over the knee after the ladder; 0 for none. */
    public record Options(List<Double> rates, Duration step, Duration warmUp, Path charts, double overload) {
    }
}
