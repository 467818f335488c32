package io.shopflow.payment;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.shopflow.providersim.ProviderSimulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The payment provider simulator (a real HTTP server) on a free port, as the provider URL. */
public class ProviderSimulatorResource implements QuarkusTestResourceLifecycleManager {

    /** The simulator's /admin token: behaviour, stats and forget need it. */
    static final String ADMIN_TOKEN = "payment-service-test";

    static ProviderSimulator simulator;

    @Override
    public Map<String, String> start() {
        try {
            simulator = ProviderSimulator.start(0, 42, ADMIN_TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.rest-client.payment-provider.url", "http://localhost:" + simulator.port());
    }

    /** Sets the simulator's behaviour ({@code {"latencyMillis","errorRate","outage"}}, the fields given). */
    static void behaviour(String json) throws IOException, InterruptedException {
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + simulator.port()
                        + "/admin/behaviour"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void stop() {
        simulator.close();
    }
}
