package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.shopflow.order.OrderDatabaseFixture.count;
import static io.shopflow.order.OrderDatabaseFixture.insertPending;
import static io.shopflow.order.OrderDatabaseFixture.sql;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Admission control of POST /orders on a real PostgreSQL, with bounds small enough to reach: the
 * work in flight is PENDING rows written straight into the orders table, and the test waits
 * until the refresher has read them (the {@code shopflow_orders_pending} gauge) before it asks.
 */
@QuarkusTest
@TestProfile(AdmissionTest.SmallBounds.class)
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = OrderDatabaseFixture.DATABASE))
@QuarkusTestResource(KafkaResource.class)
class AdmissionTest {

    /** At most 3 orders in flight, none older than 10 s; the work in flight read every 50 ms. */
    public static class SmallBounds implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "shopflow.admission.enabled", "true",
                    "shopflow.admission.max-pending", "3",
                    "shopflow.admission.max-oldest-pending-age", "10s",
                    "shopflow.admission.refresh-interval", "50ms");
        }
    }

    private static final String ORDER = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2}]}";
    private static final Pattern DECISION = Pattern.compile(
            "(?m)^shopflow_admission_decisions_total\\{([^}]*)} ([0-9.E+-]+)");

    @BeforeEach
    void clean() throws Exception {
        OrderDatabaseFixture.clean();
        awaitPending(0);
    }

    @Test
    void refusesWhileTooManyOrdersAreInFlightAndWritesNothingThenAcceptsTheSameRequest() throws Exception {
        insertPending(4, Duration.ZERO);
        awaitPending(4);
        double refusedBefore = decisions("refused", "pending");
        String key = UUID.randomUUID().toString();

        place(key, ORDER).statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("type", equalTo("/problems/overloaded"))
                .body("status", equalTo(503))
                .body("title", equalTo("Too many orders in flight"))
                .body("detail", containsString("same Idempotency-Key"));

        assertThat(count("orders")).as("only the orders in flight").isEqualTo(4);
        assertThat(count("outbox")).isZero();
        assertThat(count("idempotency_keys")).isZero();
        assertThat(decisions("refused", "pending")).isEqualTo(refusedBefore + 1);

        // The saga finishes two of them: 2 in flight, under the bound again.
        sql("UPDATE orders SET status = 'APPROVED' WHERE id IN (SELECT id FROM orders LIMIT 2)");
        awaitPending(2);
        String orderId = place(key, ORDER).statusCode(202).body("status", equalTo("PENDING"))
                .extract().path("orderId");

        asOps().get("/orders/" + orderId).then().statusCode(200).body("customerId", equalTo("alice"));
        assertThat(count("outbox")).isEqualTo(1);
        assertThat(count("idempotency_keys")).isEqualTo(1);
    }

    @Test
    void acceptsUpToTheBoundAndRefusesBeyondIt() throws Exception {
        insertPending(2, Duration.ZERO);
        awaitPending(2);
        double acceptedBefore = decisions("accepted", "none");

        place(UUID.randomUUID().toString(), ORDER).statusCode(202);
        awaitPending(3);
        place(UUID.randomUUID().toString(), ORDER).statusCode(202);
        awaitPending(4);
        place(UUID.randomUUID().toString(), ORDER).statusCode(503).header("Retry-After", "1");

        assertThat(count("orders")).isEqualTo(4);
        assertThat(count("outbox")).isEqualTo(2);
        assertThat(decisions("accepted", "none")).isEqualTo(acceptedBefore + 2);
    }

    @Test
    void refusesWhileTheOldestOrderInFlightIsTooOld() throws Exception {
        insertPending(1, Duration.ofSeconds(30));
        awaitPending(1);
        double refusedBefore = decisions("refused", "oldest_age");

        // 20 s past the 10 s bound: Retry-After is capped at shopflow.admission.max-retry-after (5 s).
        place(UUID.randomUUID().toString(), ORDER).statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5");

        assertThat(count("orders")).isEqualTo(1);
        assertThat(count("outbox")).isZero();
        assertThat(count("idempotency_keys")).isZero();
        assertThat(decisions("refused", "oldest_age")).isEqualTo(refusedBefore + 1);
    }

    @Test
    void leavesOrdersPendingLongerThanStaleAfterOutOfTheWorkInFlight() throws Exception {
        // Stuck sagas (placed 5 minutes ago, over the 60 s stale-after): neither counted nor aged.
        insertPending(10, Duration.ofMinutes(5));
        insertPending(1, Duration.ZERO);
        awaitPending(1);

        place(UUID.randomUUID().toString(), ORDER).statusCode(202);
    }

    @Test
    void answersAKeyUsedBeforeTheOverloadAsBefore() throws Exception {
        String key = UUID.randomUUID().toString();
        String orderId = place(key, ORDER).statusCode(202).extract().path("orderId");
        insertPending(3, Duration.ZERO);
        awaitPending(4);

        place(key, ORDER).statusCode(202).body("orderId", equalTo(orderId));
        place(key, ORDER.replace("\"quantity\":2", "\"quantity\":3")).statusCode(409)
                .contentType("application/problem+json");
        place(UUID.randomUUID().toString(), ORDER).statusCode(503);

        assertThat(count("orders")).isEqualTo(4);
        assertThat(count("outbox")).isEqualTo(1);
        assertThat(count("idempotency_keys")).isEqualTo(1);
    }

    @Test
    void exposesTheWorkInFlightAndEveryDecisionSeries() throws Exception {
        insertPending(2, Duration.ofSeconds(4));
        awaitPending(2);

        assertThat(metric("shopflow_orders_pending_oldest_age_seconds")).isBetween(4.0, 10.0);
        assertThat(decisions("accepted", "none")).isNotNegative();
        assertThat(decisions("refused", "pending")).isNotNegative();
        assertThat(decisions("refused", "oldest_age")).isNotNegative();
    }

    @Test
    void exposesTheHttpLayersConnectionsBesideItsLimit() {
        assertThat(metrics()).contains("http_server_active_connections");
    }

    private static ValidatableResponse place(String key, String body) {
        return asOps().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/orders").then();
    }

    private static void awaitPending(int pending) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> metric("shopflow_orders_pending") == pending);
    }

    private static String metrics() {
        return asOps().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** A metric without labels; -1 when it is not exposed. */
    private static double metric(String name) {
        // The sample may be followed by an OpenMetrics exemplar: "# {span_id=...,trace_id=...} 1.0 <time>".
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.E+-]+)").matcher(metrics());
        return m.find() ? Double.parseDouble(m.group(2)) : -1;
    }

    /** The decisions counter's series; -1 when it is not exposed. */
    private static double decisions(String decision, String reason) {
        Matcher m = DECISION.matcher(metrics());
        while (m.find()) {
            if (m.group(1).contains("decision=\"" + decision + "\"") && m.group(1).contains("reason=\"" + reason + "\"")) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }
}
