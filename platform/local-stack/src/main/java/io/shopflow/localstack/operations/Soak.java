package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.Component;
import io.shopflow.localstack.launcher.Infrastructure;
import io.shopflow.localstack.launcher.Launcher;
import io.shopflow.localstack.launcher.OpsClient;
import io.shopflow.localstack.launcher.OrderRecords;
import io.shopflow.localstack.launcher.Service;
import io.shopflow.localstack.launcher.StackLayout;
import io.shopflow.testing.SvgChart;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A soak on the local stack ({@code local-stack.sh soak [--rate 70] [--minutes 30] [--warm-up 120] [--window 60]
 * [--charts DIR]}): new orders at one rate (open model, POSTs only, as in {@link Capacity}) for a long time, to
 * see that data retention keeps the tables it prunes from growing and that latency does not creep up. One load
 * runs through a warm-up (not reported) and the run. After every window it prints a row: requests offered,
 * accepted and refused per second (by the second they were sent), orders that became final per second and their
 * p99 placed -> final (order-service's own timestamps, so no client is in it), and for each pruned table its rows,
 * size (pg_total_relation_size) and the age of its oldest prunable row: {@code inbox} over the five services'
 * databases, {@code idempotency_keys} (orders), {@code saga} (sagas; the oldest ended). At the end: the
 * last window's p99 against the first's, the tables first, last and largest, whether they level off, and
 * {@code soak.svg}.
 *
 * <p>The services and the broker read their retention settings when they start, so a soak with shortened windows
 * is {@code SHOPFLOW_TOPIC_RETENTION=5m SHOPFLOW_RETENTION_INBOX=10m ... ./local-stack.sh up}, then {@code soak},
 * which prints the settings the running processes were started with. Pruning once per interval makes a row count
 * a saw-tooth of about rate x interval, so an interval short against the windows (30 s against 10 m) keeps it
 * well inside the 10 % the verdict allows.
 */
public final class Soak {

    /** The last window's p99 placed -> final may be this much above the first's. */
    static final double MAX_P99_GROWTH = 0.10;
    /** The inbox rows at the end must be less than this much above their count when the last third began. */
    static final double MAX_ROWS_GROWTH = 0.10;
    /** Answers to the requests of a window's last second arrive before its row is made. */
    private static final Duration ANSWER_LAG = Duration.ofSeconds(2);
    private static final String RETENTION_PREFIX = "SHOPFLOW_RETENTION_";
    private static final String INBOX = "inbox";
    /** Printed at the start, set or not, so that the output documents the run. */
    private static final List<String> RETENTION_SETTINGS = List.of(RETENTION_PREFIX + "INBOX",
            RETENTION_PREFIX + "IDEMPOTENCY_KEYS", RETENTION_PREFIX + "FINISHED_SAGAS", RETENTION_PREFIX + "INTERVAL",
            Infrastructure.TOPIC_RETENTION);

    /** A table data retention prunes by {@code agedBy}, the column its retention policy ages rows by. */
    record PrunedTable(String name, List<String> databases, String agedBy) {

        /** Rows, bytes and the age in seconds of the oldest row (NULL: none; rows with no {@code agedBy} are not pruned). */
        String query() {
            return "SELECT count(*), pg_total_relation_size('" + name + "'), EXTRACT(EPOCH FROM now() - min(" + agedBy
                    + ")) FROM " + name;
        }
    }

    /** A table's rows and bytes, and the age of its oldest prunable row in seconds (NaN: none). */
    record Size(long rows, long bytes, double oldestSeconds) {

        static final Size NONE = new Size(0, 0, Double.NaN);

        /** Summed over two databases; the oldest row is the older one. */
        Size plus(Size other) {
            return new Size(rows + other.rows, bytes + other.bytes, Double.isNaN(oldestSeconds) ? other.oldestSeconds
                    : Double.isNaN(other.oldestSeconds) ? oldestSeconds : Math.max(oldestSeconds, other.oldestSeconds));
        }

        double megabytes() {
            return bytes / (1024.0 * 1024);
        }
    }

    /** The pruned tables by name, {@code minutes} after the run began. */
    record Sample(double minutes, Map<String, Size> tables) {
    }

    /**
     * One window, per second: requests by the second they were sent (refused: 503 or any other failure), orders
     * that became final in it and their p99 placed -> final (NaN: none); the tables at its end. The row of the
     * start has only the tables (NaN elsewhere).
     */
    record Row(double offered, double accepted, double refused, double completed, double p99, Sample sample) {
    }

    /**
     * The inbox rows when the last third of the run began and at its end: the tables level off when those grew
     * less than {@link #MAX_ROWS_GROWTH}.
     */
    record LevelOff(Sample atLastThird, Sample atEnd) {

        /** From samples at even intervals from the start; the last third begins at the last one at or before it. */
        static LevelOff of(List<Sample> samples) {
            return new LevelOff(samples.get(2 * (samples.size() - 1) / 3), samples.get(samples.size() - 1));
        }

        double growth() {
            long from = atLastThird.tables().get(INBOX).rows();
            long to = atEnd.tables().get(INBOX).rows();
            return from == 0 ? (to == 0 ? 0 : Double.POSITIVE_INFINITY) : (double) (to - from) / from;
        }

        boolean levelsOff() {
            return growth() < MAX_ROWS_GROWTH;
        }
    }

    private final Launcher launcher;
    private final StackLayout layout;
    private final OpsClient ops;
    private final OrderRecords records;
    private final List<PrunedTable> tables;
    /** The load's accepted orders not yet final, how many of them were seen, and those that are final. */
    private final Set<String> pending = new HashSet<>();
    private int seen;
    private final List<OrderRecords.Order> finished = new ArrayList<>();

    public Soak(Launcher launcher) throws Exception {
        this.launcher = launcher;
        this.layout = launcher.layout();
        this.ops = new OpsClient(layout);
        this.records = new OrderRecords(layout);
        this.tables = List.of(new PrunedTable(INBOX, Service.databases(), "processed_at"),
                new PrunedTable("idempotency_keys", List.of(Service.ORDER.database()), "created_at"),
                // Only a finished saga has ended_at, and only finished ones are pruned.
                new PrunedTable("saga", List.of(Service.SAGA.database()), "ended_at"));
    }

    /** Runs the soak: the warm-up, a row a window, the verdicts and the chart. */
    public void run(Options options) throws Exception {
        System.out.printf(Locale.ROOT, "Soak on the local stack, %s, %d cores: %.0f orders/s for %s min, a row every"
                        + " %d s%n", Instant.now(), Runtime.getRuntime().availableProcessors(), options.rate(),
                minutes(options.length()), options.window().toSeconds());
        printSettings();
        long orders = Math.round(options.rate() * options.warmUp().plus(options.length()).toSeconds());
        OrderLoad load = new OrderLoad(ops, "soak-" + UUID.randomUUID().toString().substring(0, 6),
                options.rate(), OrderLoad.customersFor(orders));
        System.out.printf("%n== warm-up: %.0f orders/s for %d s (not reported)%n", options.rate(),
                options.warmUp().toSeconds());
        load.start();
        // On a whole second: the requests are counted per second.
        Instant start = Instant.now().plus(options.warmUp()).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        sleepUntil(start);
        System.out.printf("%n== %s min%n", minutes(options.length()));
        System.out.println("Tables: rows, MB (pg_total_relation_size) and age of the oldest prunable row: inbox over the"
                + " five databases (processed_at), idempotency_keys (created_at), saga (ended_at of the finished)");
        printHeader();
        List<Row> rows = new ArrayList<>();
        rows.add(new Row(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, sample(0)));
        print(rows.get(0));
        for (int k = 1; k <= options.windows(); k++) {
            Instant from = start.plus(options.window().multipliedBy(k - 1));
            sleepUntil(from.plus(options.window()).plus(ANSWER_LAG));
            collectFinished(load);
            Sample tablesAtEnd = sample(k * options.window().toSeconds() / 60.0);
            rows.add(row(new Timeline(load.perSecond(), finished), from, options.window(), tablesAtEnd));
            print(rows.get(k));
        }
        load.stop();
        Instant deadline = Instant.now().plus(Capacity.DRAIN_TIMEOUT);
        while (collectFinished(load) > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
        }
        summary(rows, load);
        Path chart = options.charts().resolve("soak.svg");
        SvgChart.write(chart, chart(rows, options));
        System.out.println("Chart: " + chart);
    }

    /**
     * The window [from, from + size) of {@code timeline} as a row, with the tables sampled at its end; the client's
     * counts in the timeline are by whole seconds, so {@code from} is one.
     */
    static Row row(Timeline timeline, Instant from, Duration size, Sample tables) {
        double seconds = size.toMillis() / 1000.0;
        int[] requests = timeline.requests(from, from.plus(size));
        Timeline.Window window = timeline.windows(from, size).stream().findFirst()
                .orElse(new Timeline.Window(from, from.plus(size), 0, Double.NaN));
        return new Row(requests[OrderLoad.OFFERED] / seconds, requests[OrderLoad.ACCEPTED] / seconds,
                (requests[OrderLoad.OVERLOADED] + requests[OrderLoad.FAILED]) / seconds, window.completed() / seconds,
                window.p99(), tables);
    }

    /** The last window's p99 placed -> final relative to the first's (0.05: 5 % higher). */
    static double p99Growth(List<Row> rows) {
        return rows.get(rows.size() - 1).p99() / rows.get(1).p99() - 1;
    }

    /** The last window's p99 placed -> final at most {@link #MAX_P99_GROWTH} above the first's. */
    static boolean p99Held(List<Row> rows) {
        return rows.get(rows.size() - 1).p99() <= rows.get(1).p99() * (1 + MAX_P99_GROWTH);
    }

    /**
     * Moves the load's orders that have become final from {@link #pending} to {@link #finished}, as order-service
     * recorded them; returns how many are still pending.
     */
    private int collectFinished(OrderLoad load) throws SQLException {
        List<String> accepted = load.accepted();
        pending.addAll(accepted.subList(seen, accepted.size()));
        seen = accepted.size();
        records.byId(pending).forEach((id, order) -> {
            if (order.finished() != null) {
                pending.remove(id);
                finished.add(order);
            }
        });
        return pending.size();
    }

    private Sample sample(double minutes) throws SQLException {
        Map<String, Size> sizes = new LinkedHashMap<>();
        for (PrunedTable table : tables) {
            Size total = Size.NONE;
            for (String database : table.databases()) {
                try (Connection c = layout.connect(database); Statement statement = c.createStatement();
                     ResultSet rs = statement.executeQuery(table.query())) {
                    rs.next();
                    double oldest = rs.getDouble(3);
                    total = total.plus(new Size(rs.getLong(1), rs.getLong(2), rs.wasNull() ? Double.NaN : oldest));
                }
            }
            sizes.put(table.name(), total);
        }
        return new Sample(minutes, sizes);
    }

    private void printHeader() {
        StringBuilder header = new StringBuilder(
                "| min | offered/s | accepted/s | refused/s | completed/s | p99 placed -> final |");
        tables.forEach(t -> header.append(" ").append(t.name()).append(" rows | MB | oldest |"));
        System.out.println(header);
        System.out.println("| --- |" + " --- |".repeat(5 + 3 * tables.size()));
    }

    private static void print(Row row) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |",
                minutes(row.sample().minutes()), number(row.offered(), "%.1f"), number(row.accepted(), "%.1f"),
                number(row.refused(), "%.1f"), number(row.completed(), "%.1f"), number(row.p99(), "%.3f s")));
        row.sample().tables().values().forEach(size -> line.append(String.format(Locale.ROOT, " %,d | %.1f | %s |",
                size.rows(), size.megabytes(), number(size.oldestSeconds(), "%.0f s"))));
        System.out.println(line);
    }

    private void summary(List<Row> rows, OrderLoad load) {
        Row first = rows.get(1);
        Row last = rows.get(rows.size() - 1);
        System.out.printf(Locale.ROOT, "%np99 placed -> final: %s in the first window, %s in the last (%s): %s%n",
                number(first.p99(), "%.3f s"), number(last.p99(), "%.3f s"), number(100 * p99Growth(rows), "%+.1f %%"),
                p99Held(rows) ? "holds" : "does NOT hold");
        System.out.println("  (rule: the last window's p99 at most 10 % above the first window's; lower is no failure)");

        System.out.println("\n| table | rows first | rows last | rows max | MB first | MB last | MB max |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String table : first.sample().tables().keySet()) {
            List<Size> sizes = rows.stream().map(r -> r.sample().tables().get(table)).toList();
            Size start = sizes.get(0);
            Size end = sizes.get(sizes.size() - 1);
            System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %,d | %.1f | %.1f | %.1f |%n", table, start.rows(),
                    end.rows(), sizes.stream().mapToLong(Size::rows).max().orElse(0), start.megabytes(),
                    end.megabytes(), sizes.stream().mapToDouble(Size::megabytes).max().orElse(0));
        }
        LevelOff levelOff = LevelOff.of(rows.stream().map(Row::sample).toList());
        System.out.printf(Locale.ROOT, "%n%s: inbox %,d rows at minute %s (the last third begins), %,d at minute %s"
                        + " (%s)%n",
                levelOff.levelsOff() ? "Table sizes level off" : "Table sizes do NOT level off",
                levelOff.atLastThird().tables().get(INBOX).rows(), minutes(levelOff.atLastThird().minutes()),
                levelOff.atEnd().tables().get(INBOX).rows(), minutes(levelOff.atEnd().minutes()),
                number(100 * levelOff.growth(), "%+.1f %%"));
        System.out.println("  (rule: the inbox rows grow less than 10 % over the last third of the run)");

        Map<String, Long> rejected = finished.stream().filter(o -> o.rejectionReason() != null)
                .collect(Collectors.groupingBy(OrderRecords.Order::rejectionReason, TreeMap::new, Collectors.counting()));
        System.out.printf("%n%d orders accepted (warm-up included), %s rejected, %d refused %s%n", seen,
                rejected.isEmpty() ? "none" : rejected.toString(), load.refused(), load.refusals());
        if (!pending.isEmpty()) {
            System.out.printf("%d orders still not final %d s after the load stopped%n", pending.size(),
                    Capacity.DRAIN_TIMEOUT.toSeconds());
        }
    }

    /** The pruned tables (rows left, MB dashed on the right) above the load and p99 per window. */
    private static String chart(List<Row> rows, Options options) {
        String title = String.format(Locale.ROOT, "Soak on the local stack, %.0f orders/s (%s)", options.rate(),
                Instant.now().toString().substring(0, 10));
        Map<Double, String> marks = Map.of(LevelOff.of(rows.stream().map(Row::sample).toList()).atLastThird().minutes(),
                "last third");
        Map<String, List<double[]>> counts = new LinkedHashMap<>();
        Map<String, List<double[]>> megabytes = new LinkedHashMap<>();
        for (String table : rows.get(0).sample().tables().keySet()) {
            counts.put(table + " rows", points(rows, r -> r.sample().tables().get(table).rows()));
            megabytes.put(table + " MB", points(rows, r -> r.sample().tables().get(table).megabytes()));
        }
        // A window's rates and p99 at its end, where the tables were sampled: both charts have the same x axis.
        List<Row> windows = rows.subList(1, rows.size());
        Map<String, List<double[]>> rates = new LinkedHashMap<>();
        rates.put("offered/s", points(windows, Row::offered));
        rates.put("completed/s", points(windows, Row::completed));
        return SvgChart.stacked(List.of(
                SvgChart.timeline(title + ": the pruned tables", "minutes since the start", "rows", counts,
                        "MB (pg_total_relation_size)", megabytes, marks),
                SvgChart.timeline(title + ": load and latency", "minutes since the start", "orders per second", rates,
                        "seconds, p99 placed -> final per " + options.window().toSeconds() + " s",
                        Map.of("p99 placed -> final", points(windows, Row::p99)), marks)));
    }

    private static List<double[]> points(List<Row> rows, ToDoubleFunction<Row> value) {
        return rows.stream().map(r -> new double[] {r.sample().minutes(), value.applyAsDouble(r)}).toList();
    }

    /**
     * The retention settings the stack's processes were started with, from their environments (Linux's
     * {@code /proc/<pid>/environ}; elsewhere this shell's), and a word when the inbox keeps its default window.
     */
    private void printSettings() {
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        for (Component component : launcher.components()) {
            launcher.running(component).flatMap(p -> environment(p.pid()))
                    .ifPresent(environment -> environments.put(component.name(), environment));
        }
        System.out.println(environments.isEmpty()
                ? "Retention settings (this shell's; the stack's processes' environments are not readable here):"
                : "Retention settings the stack's processes were started with:");
        if (environments.isEmpty()) {
            environments.put("this shell", System.getenv());
        }
        List<String> lines = settings(environments);
        lines.forEach(line -> System.out.println("  " + line));
        if (environments.values().stream().anyMatch(e -> !e.containsKey(RETENTION_SETTINGS.get(0)))) {
            System.out.println("  The inbox keeps the services' default window, longer than the topics' retention:"
                    + " for tables that level off within the run, set " + RETENTION_SETTINGS.get(0) + " (and "
                    + Infrastructure.TOPIC_RETENTION + " below it) and start the stack again");
        }
    }

    private static Optional<Map<String, String>> environment(long pid) {
        try {
            Map<String, String> environment = new HashMap<>();
            for (String variable : Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0")) {
                int eq = variable.indexOf('=');
                if (eq > 0) {
                    environment.put(variable.substring(0, eq), variable.substring(eq + 1));
                }
            }
            return Optional.of(environment);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * One line per retention setting (those of {@link #RETENTION_SETTINGS}, then any other
     * {@code SHOPFLOW_RETENTION_*}): its value where every process has the same, else each value with the processes
     * that have it.
     */
    static List<String> settings(Map<String, Map<String, String>> environments) {
        Set<String> names = new TreeSet<>();
        environments.values().forEach(e -> e.keySet().stream().filter(n -> n.startsWith(RETENTION_PREFIX))
                .forEach(names::add));
        names.removeAll(RETENTION_SETTINGS);
        List<String> lines = new ArrayList<>();
        for (String name : Stream.concat(RETENTION_SETTINGS.stream(), names.stream()).toList()) {
            Map<String, List<String>> processesByValue = new TreeMap<>();
            environments.forEach((process, environment) -> processesByValue.computeIfAbsent(
                    environment.getOrDefault(name, "unset"), value -> new ArrayList<>()).add(process));
            lines.add(name + ": " + (processesByValue.size() == 1 ? processesByValue.keySet().iterator().next()
                    : processesByValue.entrySet().stream().map(e -> e.getKey() + " (" + String.join(", ", e.getValue())
                    + ")").collect(Collectors.joining("; "))));
        }
        return lines;
    }

    private static void sleepUntil(Instant at) throws InterruptedException {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }

    private static String minutes(double minutes) {
        return String.format(Locale.ROOT, minutes == Math.rint(minutes) ? "%.0f" : "%.1f", minutes);
    }

    private static String minutes(Duration duration) {
        return minutes(duration.toMillis() / 60_000.0);
    }

    /** {@code value} in {@code format}, or "-" when it is NaN (nothing to measure). */
    private static String number(double value, String format) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
    }

    /** The options of {@code local-stack.sh soak}. */
    public static final class Arguments {

        @Spec(Spec.Target.MIXEE)
        private CommandSpec command;

        @Option(names = "--rate", paramLabel = "<orders/s>", defaultValue = "70",
                description = "New orders per second, one load throughout. Default: ${DEFAULT-VALUE}, half the knee"
                        + " of the 2-core development machine (138.8 sagas/s, docs/benchmarks.md).")
        private double rate;

        @Option(names = "--minutes", paramLabel = "<minutes>", defaultValue = "30",
                description = "The run after the warm-up, a whole number of windows (1.5 is 90 s). Default:"
                        + " ${DEFAULT-VALUE}.")
        private double minutes;

        @Option(names = "--warm-up", paramLabel = "<seconds>", defaultValue = "120",
                description = "Load before the run, not reported. Default: ${DEFAULT-VALUE}.")
        private long warmUp;

        @Option(names = "--window", paramLabel = "<seconds>", defaultValue = "60",
                description = "A row a window: requests, orders final and their p99, the pruned tables. Default:"
                        + " ${DEFAULT-VALUE}.")
        private long window;

        @Option(names = "--charts", paramLabel = "<dir>",
                description = "Where soak.svg goes. Default: docs/benchmarks.")
        private Path charts;

        /** The options, checked: a rate, no negative warm-up, a run of whole windows. */
        public Options options(Path repository) {
            if (rate <= 0 || warmUp < 0) {
                throw new ParameterException(command.commandLine(),
                        "--rate must be more than 0 and --warm-up at least 0");
            }
            Duration length = Duration.ofMillis(Math.round(60_000 * minutes));
            if (window <= 0 || length.isZero() || length.isNegative() || length.toMillis() % (window * 1000) != 0) {
                throw new ParameterException(command.commandLine(), "--minutes must be a whole number of windows of"
                        + " --window seconds: " + length.toSeconds() + " s in windows of " + window + " s");
            }
            return new Options(rate, length, Duration.ofSeconds(warmUp), Duration.ofSeconds(window),
                    charts == null ? repository.resolve("docs/benchmarks") : charts.toAbsolutePath());
        }
    }

    /** {@code length}: the run after the warm-up, a whole number of windows. */
    public record Options(double rate, Duration length, Duration warmUp, Duration window, Path charts) {

        int windows() {
            return (int) (length.toMillis() / window.toMillis());
        }
    }
}
