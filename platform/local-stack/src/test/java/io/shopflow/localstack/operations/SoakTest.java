package io.shopflow.localstack.operations;

import io.shopflow.localstack.LauncherFixture;
import io.shopflow.localstack.StackCommand;
import io.shopflow.localstack.launcher.OrderRecords.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.shopflow.localstack.operations.TimelineTest.at;
import static io.shopflow.localstack.operations.TimelineTest.order;
import static io.shopflow.localstack.operations.TimelineTest.second;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SoakTest {

    private static final Path REPOSITORY = StackCommand.REPOSITORY;

    @Test
    void runsHalfTheKneeForHalfAnHourByDefault() {
        Soak.Options defaults = options("soak");
        Soak.Options short_ = options("soak", "--rate", "40", "--minutes", "1.5", "--window", "30", "--warm-up", "0",
                "--charts", "/tmp/charts");

        assertThat(defaults.rate()).isEqualTo(70.0);
        assertThat(defaults.length()).isEqualTo(Duration.ofMinutes(30));
        assertThat(defaults.warmUp()).isEqualTo(Duration.ofSeconds(120));
        assertThat(defaults.windows()).isEqualTo(30);
        assertThat(defaults.charts()).isEqualTo(REPOSITORY.resolve("docs/benchmarks"));
        assertThat(short_.length()).isEqualTo(Duration.ofSeconds(90));
        assertThat(short_.windows()).isEqualTo(3);
        assertThat(short_.charts()).isEqualTo(Path.of("/tmp/charts"));
    }

    @Test
    void refusesARunThatIsNotAWholeNumberOfWindowsAndUnknownOptions() {
        assertThat(LauncherFixture.usageError("soak", "--minutes", "1", "--window", "45"))
                .startsWith("--minutes must be a whole number of windows of --window seconds: 60 s in windows of 45 s");
        assertThat(LauncherFixture.usageError("soak", "--rate", "0")).startsWith("--rate must be more than 0");
        assertThat(LauncherFixture.usageError("soak", "--duration", "30")).contains("--duration")
                .contains("[--window=<seconds>]");
        assertThat(LauncherFixture.usageError("soak", "--rate")).startsWith("Missing required parameter for option"
                + " '--rate'");
    }

    @Test
    void aRowCountsRequestsBySecondSentAndOrdersByWhenTheyBecameFinal() {
        Map<Long, int[]> client = new TreeMap<>(Map.of(
                second(9), new int[] {50, 50, 0, 0},
                second(10), new int[] {10, 8, 1, 1},
                second(19), new int[] {10, 10, 0, 0},
                second(20), new int[] {40, 40, 0, 0}));
        List<Order> orders = new ArrayList<>();
        // Placed before the window, final in it; final in it; final after it.
        orders.add(order(9, 10.5));
        for (int i = 0; i < 98; i++) {
            orders.add(order(11, 11.2));
        }
        orders.add(order(12, 14));
        orders.add(order(19, 21));
        Soak.Sample tables = sample(1, 100);

        Soak.Row row = Soak.row(new Timeline(client, orders), at(10), Duration.ofSeconds(10), tables);

        assertThat(row.offered()).isEqualTo(2.0);
        assertThat(row.accepted()).isEqualTo(1.8);
        assertThat(row.refused()).isEqualTo(0.2);
        assertThat(row.completed()).isEqualTo(10.0);
        // 100 orders: the 99th slowest took 1.5 s.
        assertThat(row.p99()).isCloseTo(1.5, within(1e-9));
        assertThat(row.sample()).isSameAs(tables);
    }

    @Test
    void aWindowInWhichNoOrderBecameFinalHasNoP99() {
        Timeline timeline = new Timeline(Map.of(second(0), new int[] {5, 5, 0, 0}), List.of(order(0, 0.5)));

        Soak.Row row = Soak.row(timeline, at(10), Duration.ofSeconds(10), sample(1, 0));

        assertThat(row.completed()).isZero();
        assertThat(row.p99()).isNaN();
    }

    @Test
    void tablesLevelOffWhenTheInboxGrowsLessThanTenPercentOverTheLastThird() {
        // Samples at 0..6 minutes: the last third begins with the sample at minute 4.
        List<Soak.Sample> level = samples(0, 400, 800, 1000, 1000, 1050, 1090);
        List<Soak.Sample> growing = samples(0, 400, 800, 1000, 1000, 1050, 1100);
        List<Soak.Sample> empty = samples(0, 0, 0, 0);

        assertThat(Soak.LevelOff.of(level).atLastThird().minutes()).isEqualTo(4.0);
        assertThat(Soak.LevelOff.of(level).growth()).isCloseTo(0.09, within(1e-9));
        assertThat(Soak.LevelOff.of(level).levelsOff()).isTrue();
        assertThat(Soak.LevelOff.of(growing).levelsOff()).isFalse();
        assertThat(Soak.LevelOff.of(empty).levelsOff()).isTrue();
        assertThat(Soak.LevelOff.of(samples(0, 0, 0, 5)).levelsOff()).isFalse();
    }

    @Test
    void p99HoldsWhenTheLastWindowIsAtMostTenPercentAboveTheFirst() {
        List<Soak.Row> tenPercent = List.of(row(Double.NaN), row(0.40), row(0.90), row(0.44));
        List<Soak.Row> faster = List.of(row(Double.NaN), row(0.40), row(0.20));
        List<Soak.Row> slower = List.of(row(Double.NaN), row(0.40), row(0.45));
        List<Soak.Row> nothingFinal = List.of(row(Double.NaN), row(Double.NaN), row(0.40));

        assertThat(Soak.p99Growth(tenPercent)).isCloseTo(0.10, within(1e-9));
        assertThat(Soak.p99Held(tenPercent)).isTrue();
        assertThat(Soak.p99Held(faster)).isTrue();
        assertThat(Soak.p99Held(slower)).isFalse();
        assertThat(Soak.p99Held(nothingFinal)).isFalse();
    }

    @Test
    void aTableSummedOverDatabasesHasTheOldestRowOfAny() {
        Soak.Size orders = new Soak.Size(10, 1024 * 1024, 30);
        Soak.Size sagas = new Soak.Size(5, 1024 * 1024, 600);
        Soak.Size empty = new Soak.Size(0, 8192, Double.NaN);

        Soak.Size sum = Soak.Size.NONE.plus(orders).plus(empty).plus(sagas);

        assertThat(sum.rows()).isEqualTo(15);
        assertThat(sum.megabytes()).isCloseTo(2.0, within(0.01));
        assertThat(sum.oldestSeconds()).isEqualTo(600.0);
        assertThat(Soak.Size.NONE.plus(empty).oldestSeconds()).isNaN();
    }

    @Test
    void aTableIsAgedByTheColumnItsRetentionPrunesBy() {
        Soak.PrunedTable saga = new Soak.PrunedTable("saga", List.of("sagas"), "ended_at");

        assertThat(saga.query()).isEqualTo("SELECT count(*), pg_total_relation_size('saga'), EXTRACT(EPOCH FROM now()"
                + " - min(ended_at)) FROM saga");
    }

    @Test
    void settingsShowOneValueWhereEveryProcessAgreesAndEachValueOtherwise() {
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        environments.put("infrastructure", Map.of("SHOPFLOW_TOPIC_RETENTION", "5m", "SHOPFLOW_RETENTION_INBOX", "10m"));
        environments.put("order-service", Map.of("SHOPFLOW_RETENTION_INBOX", "10m", "SHOPFLOW_RETENTION_OUTBOX", "1h"));

        List<String> lines = Soak.settings(environments);

        assertThat(lines).containsExactly(
                "SHOPFLOW_RETENTION_INBOX: 10m",
                "SHOPFLOW_RETENTION_IDEMPOTENCY_KEYS: unset",
                "SHOPFLOW_RETENTION_FINISHED_SAGAS: unset",
                "SHOPFLOW_RETENTION_INTERVAL: unset",
                "SHOPFLOW_TOPIC_RETENTION: 5m (infrastructure); unset (order-service)",
                "SHOPFLOW_RETENTION_OUTBOX: 1h (order-service); unset (infrastructure)");
    }

    @Test
    void enoughCustomersThatTheirCreditHoldsEveryOrderAtTheHighestPrice() {
        // 30 minutes at 70/s after a 2-minute warm-up: 134,400 orders of at most 5.00, 1,000.00 of credit each.
        assertThat(OrderLoad.customersFor(134_400)).isEqualTo(672);
        assertThat(OrderLoad.customersFor(201)).isEqualTo(2);
        assertThat(OrderLoad.customersFor(0)).isEqualTo(1);
    }

    private static Soak.Row row(double p99) {
        return new Soak.Row(70, 70, 0, 70, p99, sample(0, 0));
    }

    private static List<Soak.Sample> samples(long... inboxRows) {
        List<Soak.Sample> samples = new ArrayList<>();
        for (int i = 0; i < inboxRows.length; i++) {
            samples.add(sample(i, inboxRows[i]));
        }
        return samples;
    }

    private static Soak.Sample sample(double minutes, long inboxRows) {
        return new Soak.Sample(minutes, Map.of("inbox", new Soak.Size(inboxRows, 8192 * inboxRows, 60)));
    }

    private static Soak.Options options(String... args) {
        return LauncherFixture.arguments(Soak.Arguments.class, args).options(REPOSITORY);
    }
}
