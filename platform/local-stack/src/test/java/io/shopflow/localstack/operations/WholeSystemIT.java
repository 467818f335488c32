package io.shopflow.localstack.operations;

import io.shopflow.localstack.StackCommand;
import io.shopflow.localstack.launcher.OpsClient;
import io.shopflow.localstack.launcher.OrderRecords;
import io.shopflow.localstack.launcher.Service;
import io.shopflow.localstack.launcher.StackLayout;
import io.shopflow.testing.DevTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole system as processes (PostgreSQL, Kafka, relay, every service, two orchestrator
 * instances, the provider simulator at a 20% error rate): 500 orders placed concurrently with a
 * mix of outcomes must all end APPROVED or REJECTED with the invariants of the architecture
 * brief holding in every service's own database; then 100 more while inventory-service and one
 * orchestrator instance are killed (SIGKILL) and restarted mid-run.
 */
class WholeSystemIT {

    private static final Path HOME = Path.of("target/it-whole-system").toAbsolutePath();
    // Fixed ports below Linux's ephemeral range (32768+), where client sockets cannot take them.
    private static final int PG = 26432;
    private static final int ORDERS = 26080;
    private static final Map<String, String> ENV = Map.of(
            "SHOPFLOW_LOCAL_HOME", HOME.toString(),
            "SHOPFLOW_LOCAL_PG_PORT", Integer.toString(PG),
            "SHOPFLOW_LOCAL_KAFKA_PORT", "27092",
            "SHOPFLOW_LOCAL_KAFKA_CONTROLLER_PORT", "27093",
            "SHOPFLOW_LOCAL_ORDER_PORT", Integer.toString(ORDERS),
            "SHOPFLOW_LOCAL_RELAY_PORT", "26089",
            "SHOPFLOW_LOCAL_SAGA_INSTANCES", "2",
            "SHOPFLOW_LOCAL_PROMETHEUS", "off");
    private static final StackCommand STACK = new StackCommand(ENV);
    private static final StackLayout LAYOUT = new StackLayout(HOME, StackCommand.REPOSITORY, PG, 27092, 27093, ORDERS,
            26089, 2, 9090, false, "", StackCommand.AOT_CACHES);
    private static final int SKUS = 10;
    private static final int STOCK_PER_SKU = 150;

    private final HttpClient http = HttpClient.newHttpClient();
    private final DevTokens tokens = STACK.tokens();

    @BeforeAll
    static void start() throws Exception {
        deleteRecursively(HOME);
        StackCommand.Result up = STACK.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        STACK.run("down");
    }

    @Test
    void everyOrderEndsApprovedOrRejectedAndTheInvariantsHold() throws Exception {
        for (int i = 0; i < SKUS; i++) {
            put("http://localhost:" + LAYOUT.port(Service.INVENTORY) + "/stock/S" + i,
                    "{\"available\":" + STOCK_PER_SKU + ",\"priceCents\":" + (100 * (i + 1)) + "}");
        }
        for (int c = 0; c < 5; c++) {
            put("http://localhost:" + LAYOUT.port(Service.PAYMENT) + "/accounts/c" + c, "{\"creditLimitCents\":500}");
        }
        put("http://localhost:" + LAYOUT.providerPort() + "/admin/behaviour", "Bearer " + StackLayout.PROVIDER_ADMIN_TOKEN,
                "{\"errorRate\":0.2}");

        long started = System.nanoTime();
        List<String> orders = placeConcurrently(500, new Random(7));
        Map<String, String> outcomes = awaitFinal(orders, Duration.ofMinutes(6));
        System.out.printf("[whole-system] 500 orders final after %.1f s: %s%n", (System.nanoTime() - started) / 1e9,
                mix(orders));
        assertThat(outcomes).hasSize(orders.size());
        assertInvariants(orders);

        List<String> more = new ArrayList<>();
        Future<List<String>> placing = Executors.newSingleThreadExecutor()
                .submit(() -> placeConcurrently(100, new Random(11)));
        Thread.sleep(1500);
        StackCommand.Result restart = STACK.run("restart", "inventory-service", "--kill");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        StackCommand.Result restartOrchestrator = STACK.run("restart", "saga-orchestrator", "--kill");
        assertThat(restartOrchestrator.exitCode()).as(restartOrchestrator.output()).isZero();
        more.addAll(placing.get(5, TimeUnit.MINUTES));
        awaitFinal(more, Duration.ofMinutes(6));
        System.out.printf("[whole-system] 100 more with inventory-service and an orchestrator killed and restarted: %s%n",
                mix(more));
        List<String> all = new ArrayList<>(orders);
        all.addAll(more);
        Map<String, String> allOutcomes = statuses(all);
        assertThat(allOutcomes).hasSize(all.size()).doesNotContainValue("PENDING");
        assertInvariants(all);
    }


    private List<String> placeConcurrently(int count, Random random) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<String>> placed = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String customer = "c" + random.nextInt(50);
            String body = orderBody(customer, random);
            String token = "Bearer " + tokens.mint(customer, false, Instant.now());
            String key = UUID.randomUUID().toString();
            placed.add(pool.submit(() -> {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + ORDERS + "/orders"))
                        .header("Content-Type", "application/json").header("Authorization", token)
                        .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build();
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                // As a well-behaved client: refused while the stack is behind (ADR 9), retried with
                // the same key after Retry-After, which places the order once.
                long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
                while (r.statusCode() == 503 && System.nanoTime() < giveUp) {
                    Thread.sleep(1000 * Long.parseLong(r.headers().firstValue("Retry-After").orElse("1")));
                    r = http.send(request, HttpResponse.BodyHandlers.ofString());
                }
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                Matcher m = OpsClient.ORDER_ID.matcher(r.body());
                assertThat(m.find()).isTrue();
                return m.group(1);
            }));
        }
        List<String> ids = new ArrayList<>();
        for (Future<String> f : placed) {
            ids.add(f.get(2, TimeUnit.MINUTES));
        }
        pool.shutdown();
        return ids;
    }

    private static String orderBody(String customer, Random random) {
        StringBuilder items = new StringBuilder();
        int lines = 1 + random.nextInt(3);
        for (int l = 0; l < lines; l++) {
            items.append(l == 0 ? "" : ",").append("{\"sku\":\"S").append(random.nextInt(SKUS))
                    .append("\",\"quantity\":").append(1 + random.nextInt(3)).append('}');
        }
        return "{\"customerId\":\"" + customer + "\",\"items\":[" + items + "]}";
    }

    /** Status of every order once none is PENDING; fails after {@code timeout}. */
    private Map<String, String> awaitFinal(List<String> orders, Duration timeout) throws SQLException {
        await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(statuses(orders).values().stream().filter("PENDING"::equals).count())
                        .as("orders still PENDING").isZero());
        return statuses(orders);
    }

    private static Map<String, String> statuses(List<String> orders) throws SQLException {
        return new OrderRecords(LAYOUT).statuses(orders);
    }

    private static String mix(List<String> orders) throws SQLException {
        Map<String, Integer> mix = new TreeMap<>();
        try (Connection c = new OrderRecords(LAYOUT).connect();
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT id, status, coalesce(rejection_reason, '') FROM orders")) {
            while (rs.next()) {
                if (orders.contains(rs.getString(1))) {
                    mix.merge(rs.getString(2) + (rs.getString(3).isEmpty() ? "" : "/" + rs.getString(3)), 1,
                            Integer::sum);
                }
            }
        }
        return mix.toString();
    }

    /**
     * The invariants of the architecture brief, checked in each service's own database
     * ({@link Invariants}); notifications follow the outcomes asynchronously, so they get time.
     */
    private static void assertInvariants(List<String> orders) {
        Map<String, Integer> stock = new HashMap<>();
        for (int i = 0; i < SKUS; i++) {
            stock.put("S" + i, STOCK_PER_SKU);
        }
        Invariants invariants = new Invariants(LAYOUT);
        await().atMost(Duration.ofMinutes(2)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(invariants.check(orders, stock).violations())
                        .as("invariants over %d orders", orders.size()).isEmpty());
    }

    private void put(String url, String json) throws Exception {
        put(url, "Bearer " + tokens.mint("ops-test", true, Instant.now()), json);
    }

    private void put(String url, String authorization, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                "application/json").header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isEqualTo(200);
    }


    private static void deleteRecursively(Path path) throws IOException {
        if (java.nio.file.Files.exists(path)) {
            try (var walk = java.nio.file.Files.walk(path)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

}
