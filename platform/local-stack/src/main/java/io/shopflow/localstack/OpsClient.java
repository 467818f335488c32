package io.shopflow.localstack;

import io.shopflow.testing.DevTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;

/**
 * The HTTP client of drills and load runs: signs requests with dev tokens, sets stock and, with the simulator's
 * admin token, the provider's behaviour.
 */
final class OpsClient {

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
    private final DevTokens tokens;
    private final URI providerBehaviour;

    OpsClient(StackLayout layout) throws Exception {
        this.tokens = new DevTokens(layout.repository().resolve("infra/dev-keys/jwt-private.pem"));
        this.providerBehaviour = URI.create("http://localhost:" + layout.providerPort() + "/admin/behaviour");
    }

    HttpClient http() {
        return http;
    }

    /** A bearer token for {@code customer} (not an operator). */
    String customerToken(String customer) throws Exception {
        return "Bearer " + tokens.mint(customer, false, Instant.now());
    }

    /** PUT as an operator; anything but 200 is an error. */
    void put(String url, String json) throws Exception {
        put(URI.create(url), "Bearer " + tokens.mint("drill-ops", true, Instant.now()), json);
    }

    /** Switches the provider simulator's behaviour ({@code PUT /admin/behaviour}); anything but 200 is an error. */
    void providerBehaviour(String json) throws Exception {
        put(providerBehaviour, "Bearer " + StackLayout.PROVIDER_ADMIN_TOKEN, json);
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
