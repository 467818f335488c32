package io.shopflow.providersim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProviderSimulatorTest {

    private static final String ADMIN_TOKEN = "test-admin-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private ProviderSimulator simulator;

    @BeforeEach
    void start() throws IOException {
        simulator = ProviderSimulator.start(0, 7, ADMIN_TOKEN);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /**
     * Requests on one kept-alive connection are not held back by Nagle's algorithm: before
     * TCP_NODELAY, each took 40 ms (the client's delayed ACK). The median is used so that a busy
     * machine's occasional slow request does not decide the result.
     */
    @Test
    void answersRequestsOnAKeptAliveConnectionWithoutTheDelayedAckStall() throws Exception {
        long[] millis = new long[15];
        for (int i = 0; i < millis.length; i++) {
            long started = System.nanoTime();
            post("/authorizations", "{\"orderId\":\"keep-alive-" + i + "\",\"customerId\":\"c\",\"amountCents\":1}");
            millis[i] = (System.nanoTime() - started) / 1_000_000;
        }
        java.util.Arrays.sort(millis);
        assertThat(millis[millis.length / 2]).as("median ms per request").isLessThan(30);
    }

    @Test
    void authorizesOncePerOrderAndVoids() throws Exception {
        HttpResponse<String> first = post("/authorizations", "{\"orderId\":\"o-1\",\"customerId\":\"c\",\"amountCents\":500}");
        HttpResponse<String> again = post("/authorizations", "{\"orderId\":\"o-1\",\"customerId\":\"c\",\"amountCents\":500}");

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        String id = Json.string(first.body(), "authorizationId").orElseThrow();
        assertThat(Json.string(again.body(), "authorizationId")).contains(id);

        assertThat(post("/authorizations/" + id + "/void", "").body()).contains("VOIDED");
        assertThat(post("/authorizations/unknown/void", "").statusCode()).isEqualTo(404);
        assertThat(get("/admin/stats").body()).contains("\"authorizations\":1", "\"voids\":1");
    }

    @Test
    void forgetsEveryAuthorizationAsARestartDoes() throws Exception {
        String id = Json.string(post("/authorizations", "{\"orderId\":\"o-f\",\"amountCents\":5}").body(),
                "authorizationId").orElseThrow();

        assertThat(post("/admin/forget", "").body()).isEqualTo("{\"forgotten\":1}");
        assertThat(post("/authorizations/" + id + "/void", "").statusCode()).isEqualTo(404);
        assertThat(post("/authorizations", "{\"orderId\":\"o-f\",\"amountCents\":5}").statusCode()).isEqualTo(201);
    }

    @Test
    void rejectsAnIncompleteRequest() throws Exception {
        assertThat(post("/authorizations", "{\"customerId\":\"c\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void failsEveryRequestDuringAnOutageAndRecovers() throws Exception {
        put("{\"outage\":true}");
        assertThat(post("/authorizations", "{\"orderId\":\"o-2\",\"amountCents\":1}").statusCode()).isEqualTo(503);

        put("{\"outage\":false}");
        assertThat(post("/authorizations", "{\"orderId\":\"o-2\",\"amountCents\":1}").statusCode()).isEqualTo(201);
    }

    @Test
    void failsAboutTheConfiguredShareOfRequests() throws Exception {
        put("{\"errorRate\":0.3}");
        int failures = 0;
        for (int i = 0; i < 200; i++) {
            if (post("/authorizations", "{\"orderId\":\"o-" + i + "\",\"amountCents\":1}").statusCode() == 503) {
                failures++;
            }
        }
        assertThat(failures).isBetween(35, 85);
    }

    @Test
    void refusesAnImpossibleBehaviour() throws Exception {
        assertThat(put("{\"errorRate\":2}").statusCode()).isEqualTo(400);
        assertThat(get("/admin/behaviour").body()).contains("\"errorRate\":0.0");
    }

    @ParameterizedTest
    @CsvSource({"GET, /admin/behaviour", "PUT, /admin/behaviour", "GET, /admin/stats", "POST, /admin/forget",
            "GET, /admin/anything-else"})
    void answersTheAdminEndpointsOnlyWithTheAdminToken(String method, String path) throws Exception {
        for (String authorization : new String[] {null, "Bearer not-the-token", "Basic " + ADMIN_TOKEN}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                    .method(method, HttpRequest.BodyPublishers.ofString("{\"outage\":true}"));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as("%s %s with %s", method, path, authorization).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
            assertThat(Json.scalar(response.body(), "status")).contains("401");
            assertThat(Json.string(response.body(), "title")).contains("Unauthorized");
        }
        assertThat(post("/authorizations", "{\"orderId\":\"o-a\",\"amountCents\":1}").statusCode())
                .as("a refused PUT changed nothing").isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void refusesToStartWithoutAnAdminToken(String token) {
        assertThatThrownBy(() -> ProviderSimulator.start(0, 7, token)).isInstanceOf(IllegalArgumentException.class);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String body) throws Exception {
        return http.send(request("/admin/behaviour").PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to {@code path}, with the admin token where the path is an admin endpoint. */
    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
        return path.startsWith("/admin") ? request.header("Authorization", "Bearer " + ADMIN_TOKEN) : request;
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + simulator.port() + path);
    }
}
