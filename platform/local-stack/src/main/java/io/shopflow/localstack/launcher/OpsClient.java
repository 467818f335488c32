package io.shopflow.localstack.launcher;

import io.shopflow.testing.DevTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * The HTTP client of the launcher's own orders (the AOT training's) and of the operations tools' drills and load
 * runs: signs requests with dev tokens, places orders, sets stock and, with the simulator's admin token, the
 * provider's behaviour.
 */
public final class OpsClient {

    /** The order id in order-service's 202 answer. */
    public static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    /**
     * Two threads complete every request: the client's default, a cached pool, ran some forty
     * threads for a load of 400 requests/s and 25 % more CPU, on the cores the stack under test
     * needs (measured against a stub server: 30 % of a core at 300 requests/s, 24 % with these two).
     * Daemon threads, so that they never keep the launcher alive.
     */
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .executor(Executors.newFixedThreadPool(2, task -> {
                Thread thread = new Thread(task, "ops-http");
                thread.setDaemon(true);
                return thread;
            }))
            .build();
    private final StackLayout layout;
    private final DevTokens tokens;
    private final URI providerBehaviour;

    public OpsClient(StackLayout layout) throws Exception {
        this.layout = layout;
        this.tokens = new DevTokens(layout.repository().resolve("infra/dev-keys/jwt-private.pem"));
        this.providerBehaviour = URI.create("http://localhost:" + layout.providerPort() + "/admin/behaviour");
    }

    public HttpClient http() {
        return http;
    }

    /** A bearer token for {@code customer} (not an operator). */
    public String customerToken(String customer) throws Exception {
        return "Bearer " + tokens.mint(customer, false, Instant.now());
    }

    /** PUT as an operator; anything but 200 is an error. */
    public void put(String url, String json) throws Exception {
        put(URI.create(url), "Bearer " + tokens.mint("drill-ops", true, Instant.now()), json);
    }

    /** Switches the provider simulator's behaviour ({@code PUT /admin/behaviour}); anything but 200 is an error. */
    public void providerBehaviour(String json) throws Exception {
        put(providerBehaviour, "Bearer " + StackLayout.PROVIDER_ADMIN_TOKEN, json);
    }

    /** POST /orders as {@code customer} (its bearer {@code authorization}): one unit of {@code sku}, a new key. */
    public HttpRequest.Builder orderRequest(String authorization, String customer, String sku) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + layout.port(Service.ORDER) + "/orders"))
                .header("Content-Type", "application/json").header("Authorization", authorization)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"" + customer
                        + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}"));
    }

    /** Sets {@code sku}'s stock ({@code PUT /stock/<sku>} as an operator). */
    public void stock(String sku, int available, int priceCents) throws Exception {
        put("http://localhost:" + layout.port(Service.INVENTORY) + "/stock/" + sku,
                "{\"available\":" + available + ",\"priceCents\":" + priceCents + "}");
    }

    private void put(URI uri, String authorization, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                        .header("Content-Type", "application/json")
                        .header("Authorization", authorization)
                        .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT " + uri + " -> " + response.statusCode() + " " + response.body());
        }
    }
}
