package io.shopflow.load;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.shopflow.testing.DevTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAsDuring;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What every Shopflow simulation shares: a customer places an order ({@code POST /orders}, as
 * one of {@code customers} virtual customers, each with its own JWT signed by the development
 * key) and follows it ({@code GET /orders/{id}} every {@code pollMs}) until it is APPROVED or
 * REJECTED. The group {@value #PLACED_TO_FINAL} spans both: with Gatling's group duration metric
 * (src/test/resources/gatling.conf) its response time is the end-to-end saga latency as the
 * customer sees it, reported and asserted next to the HTTP latency of the POST.
 *
 * <p>System properties (the same simulation runs against the local stack and compose):
 * {@code baseUrl} (http://localhost:8080), {@code inventoryUrl} (http://localhost:8081; empty:
 * do not stock up, e.g. compose, where only the order API is published), {@code customers}
 * (1000), {@code skus} (20), {@code pollMs} (100), {@code finalTimeoutSeconds} (30),
 * {@code maxErrorPercent} (1), {@code postP99Millis} (500), {@code e2eP99Millis} (1000),
 * {@code devKey} (infra/dev-keys/jwt-private.pem, found from the working directory upwards).
 */
final class Shop {

    static final String PLACED_TO_FINAL = "order placed -> final";
    static final String ACCEPTED_TO_FINAL = "order accepted -> final";
    static final String POST_ORDER = "POST /orders";

    static final String BASE_URL = System.getProperty("baseUrl", "http://localhost:8080");
    static final String INVENTORY_URL = System.getProperty("inventoryUrl", "http://localhost:8081");
    static final int CUSTOMERS = Integer.getInteger("customers", 1000);
    static final int SKUS = Integer.getInteger("skus", 20);
    static final Duration POLL = Duration.ofMillis(Long.getLong("pollMs", 100));
    static final Duration FINAL_TIMEOUT = Duration.ofSeconds(Long.getLong("finalTimeoutSeconds", 30));

    private static final DevTokens TOKENS = tokens();
    private static final Map<String, String> TOKEN_BY_CUSTOMER = new ConcurrentHashMap<>();

    private Shop() {
    }

    static HttpProtocolBuilder protocol() {
        return http.baseUrl(BASE_URL).acceptHeader("application/json").contentTypeHeader("application/json")
                .disableCaching();
    }

    /** One order per virtual user: place it, then follow it to its final state. */
    static ScenarioBuilder placeAndFollow(String name) {
        return scenario(name).feed(customers()).exec(group(PLACED_TO_FINAL).on(placeOrder(), followToFinal(POLL)));
    }

    /**
     * One order per virtual user where the system may refuse it: a {@code 503} from admission
     * control is an answer, not a failure (nothing was placed; a client retries later), an accepted
     * order is followed to its final state every {@code poll} in the group {@value #ACCEPTED_TO_FINAL}
     * (from the 202 on: the POST's own latency is {@value #POST_ORDER}). {@code plateau} records
     * refusals, and completions with their placed -> final from just before the POST.
     */
    static ScenarioBuilder placeOrBeRefused(String name, Duration poll, Plateau plateau) {
        return scenario(name).feed(customers())
                .exec(session -> {
                    long now = System.currentTimeMillis();
                    plateau.arrived(now);
                    return session.set("placedAt", now);
                })
                .exec(postOrder().check(status().in(202, 503).saveAs("postStatus"),
                        jsonPath("$.orderId").optional().saveAs("orderId")))
                .doIfOrElse(session -> Integer.valueOf(202).equals(session.get("postStatus"))).then(
                        group(ACCEPTED_TO_FINAL).on(exec(session -> session.set("status", "PENDING")),
                                followToFinal(poll),
                                exec(session -> {
                                    if (!"PENDING".equals(session.getString("status"))) {
                                        plateau.completed(session.getLong("placedAt"), System.currentTimeMillis());
                                    }
                                    return session;
                                })))
                .orElse(exec(session -> {
                    if (Integer.valueOf(503).equals(session.get("postStatus"))) {
                        plateau.refused();
                    }
                    return session;
                }))
                .exec(session -> {
                    plateau.left();
                    return session;
                });
    }

    /** Error rate and p99 of both latencies; any failing assertion fails the run. */
    static Assertion[] assertions() {
        return new Assertion[] {
            global().failedRequests().percent().lte(Double.parseDouble(System.getProperty("maxErrorPercent", "1"))),
            details(PLACED_TO_FINAL, POST_ORDER).responseTime().percentile(99.0)
                    .lte(Integer.getInteger("postP99Millis", 500)),
            details(PLACED_TO_FINAL).responseTime().percentile(99.0).lte(Integer.getInteger("e2eP99Millis", 1000))
        };
    }

    /** Enough stock on every SKU that orders are approved (unless a run is meant to exhaust it). */
    static void stockUp() {
        if (INVENTORY_URL.isBlank()) {
            System.out.println("inventoryUrl is empty: not stocking up; orders of unknown SKUs end REJECTED");
            return;
        }
        HttpClient client = HttpClient.newHttpClient();
        String ops = "Bearer " + mint("load-test-ops", true);
        for (int i = 0; i < SKUS; i++) {
            HttpRequest put = HttpRequest.newBuilder(URI.create(INVENTORY_URL + "/stock/LOAD-" + i))
                    .header("Authorization", ops).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"available\":100000000,\"priceCents\":" + (100 + i)
                            + "}")).build();
            try {
                HttpResponse<String> response = client.send(put, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("PUT " + put.uri() + " -> " + response.statusCode() + " "
                            + response.body());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("Cannot reach inventory-service at " + INVENTORY_URL
                        + " (is the stack up? ./local-stack.sh up)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static ChainBuilder placeOrder() {
        return exec(postOrder().check(status().is(202), jsonPath("$.orderId").saveAs("orderId")))
                .exec(session -> session.set("status", "PENDING"));
    }

    private static HttpRequestActionBuilder postOrder() {
        return http(POST_ORDER).post("/orders")
                .header("Authorization", "Bearer #{token}")
                .header("Idempotency-Key", session -> UUID.randomUUID().toString())
                .body(StringBody("{\"customerId\":\"#{customerId}\",\"items\":[{\"sku\":\"#{sku}\",\"quantity\":1}]}"));
    }

    private static ChainBuilder followToFinal(Duration poll) {
        return asLongAsDuring(session -> "PENDING".equals(session.getString("status")), FINAL_TIMEOUT).on(
                        pause(poll),
                        exec(http("GET /orders/{id}").get("/orders/#{orderId}")
                                .header("Authorization", "Bearer #{token}")
                                .check(status().is(200), jsonPath("$.status").saveAs("status"))))
                .exec(doIf(session -> "PENDING".equals(session.getString("status"))).then(
                        // Still PENDING after finalTimeoutSeconds: one failed request says so in the report.
                        exec(http("order reached APPROVED or REJECTED").get("/orders/#{orderId}")
                                .header("Authorization", "Bearer #{token}")
                                .check(jsonPath("$.status").in("APPROVED", "REJECTED")))));
    }

    private static Iterator<Map<String, Object>> customers() {
        return Stream.generate(() -> {
            String customer = "load-" + ThreadLocalRandom.current().nextInt(CUSTOMERS);
            return Map.<String, Object>of("customerId", customer,
                    "token", TOKEN_BY_CUSTOMER.computeIfAbsent(customer, c -> mint(c, false)),
                    "sku", "LOAD-" + ThreadLocalRandom.current().nextInt(SKUS));
        }).iterator();
    }

    private static String mint(String subject, boolean ops) {
        // Tokens live 12 h: long enough for a soak; minted once per virtual customer.
        return TOKENS.mint(subject, ops, Instant.now());
    }

    private static DevTokens tokens() {
        String configured = System.getProperty("devKey");
        Path key = configured != null ? Path.of(configured) : DevTokens.findKey();
        try {
            return new DevTokens(key);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the development key " + key, e);
        }
    }

    /** The shared settings, with the poll interval the simulation uses. */
    static List<String> describe(Duration poll) {
        return List.of("baseUrl=" + BASE_URL, "inventoryUrl=" + INVENTORY_URL, "customers=" + CUSTOMERS,
                "skus=" + SKUS, "pollMs=" + poll.toMillis());
    }
}
