package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.order.adapter.messaging.FailingOrderMessages;
import io.shopflow.order.adapter.messaging.OrderMessages;
import io.shopflow.messaging.cdi.RetentionJob;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import io.shopflow.testing.TestTokens;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.shopflow.order.OrderDatabaseFixture.count;
import static io.shopflow.order.OrderDatabaseFixture.sql;
import static io.shopflow.testing.TestTokens.asCustomer;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The order API on a real PostgreSQL: what it answers and what it writes (or not). */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
// The application consumes the order commands from Kafka whatever the test.
@QuarkusTestResource(KafkaResource.class)
class OrderApiTest {

    static final String DATABASE = OrderDatabaseFixture.DATABASE;
    static final String VALID = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2},"
            + "{\"sku\":\"SKU-2\",\"quantity\":1}]}";

    @TestHTTPResource("/orders")
    URI orders;

    @Inject
    RetentionJob retention;

    @BeforeEach
    void clean() throws Exception {
        OrderDatabaseFixture.clean();
    }

    @Test
    void placesAPendingOrderAndItsOrderPlacedMessageTogether() throws Exception {
        String orderId = place(UUID.randomUUID().toString(), VALID)
                .statusCode(202)
                .header("Location", containsString("/orders/"))
                .body("status", equalTo("PENDING"))
                .extract().path("orderId");

        asOps().get("/orders/" + orderId).then().statusCode(200)
                .body("orderId", equalTo(orderId))
                .body("customerId", equalTo("alice"))
                .body("status", equalTo("PENDING"))
                .body("$", hasKey("rejectionReason")).body("rejectionReason", nullValue())
                .body("$", hasKey("totalCents")).body("totalCents", nullValue())
                .body("items.sku", hasItem("SKU-2"));
        assertThat(count("orders")).isEqualTo(1);
        try (Connection c = PostgresServer.shared().connect(DATABASE);
             ResultSet rs = c.createStatement().executeQuery("SELECT * FROM outbox")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString("aggregate_id")).isEqualTo(orderId);
            assertThat(rs.getString("topic")).isEqualTo(Topics.ORDER_EVENTS);
            assertThat(rs.getString("message_type")).isEqualTo("OrderPlaced");
            assertThat(rs.getString("traceparent")).as("trace context of the request").startsWith("00-");
            OrderPlaced placed = (OrderPlaced) new CatalogSerde().deserialize(Topics.ORDER_EVENTS, rs.getBytes("payload"));
            assertThat(placed.getOrderId()).hasToString(orderId);
            assertThat(placed.getItems()).hasSize(2);
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void aFailureAfterTheOrderInsertLeavesNeitherOrderNorMessage() throws Exception {
        QuarkusMock.installMockForType(FailingOrderMessages.always(), OrderMessages.class);

        place(UUID.randomUUID().toString(), VALID)
                .statusCode(500)
                .contentType("application/problem+json")
                .body("status", equalTo(500));

        assertThat(count("orders")).isZero();
        assertThat(count("outbox")).isZero();
        assertThat(count("idempotency_keys")).isZero();
    }

    @Test
    void theKeyIsFreeAgainAfterAFailedAttempt() throws Exception {
        String key = UUID.randomUUID().toString();
        QuarkusMock.installMockForType(FailingOrderMessages.once(), OrderMessages.class);
        place(key, VALID).statusCode(500);

        place(key, VALID).statusCode(202);

        assertThat(count("orders")).isEqualTo(1);
        assertThat(count("outbox")).isEqualTo(1);
    }

    @Test
    void aRefusedOutboxRowLeavesNeitherOrderNorMessage() throws Exception {
        // The database refuses the outbox row, which is written after the order row in the same transaction.
        sql("CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS "
                + "$$ BEGIN RAISE EXCEPTION 'outbox refused by test'; END $$; "
                + "CREATE TRIGGER refuse_outbox BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()");
        try {
            place(UUID.randomUUID().toString(), VALID)
                    .statusCode(500)
                    .contentType("application/problem+json");
        } finally {
            sql("DROP TRIGGER refuse_outbox ON outbox; DROP FUNCTION refuse_outbox()");
        }
        assertThat(count("orders")).isZero();
        assertThat(count("outbox")).isZero();
        assertThat(count("idempotency_keys")).isZero();
    }

    @Test
    void replaysTheSameOrderForTheSameKeyAndBody() throws Exception {
        String key = UUID.randomUUID().toString();
        String first = place(key, VALID).statusCode(202).extract().path("orderId");

        String second = place(key, VALID).statusCode(202).extract().path("orderId");

        assertThat(second).isEqualTo(first);
        assertThat(count("orders")).isEqualTo(1);
        assertThat(count("outbox")).isEqualTo(1);
    }

    @Test
    void aKeyIsNewAgainOnceItsWindowHasPassed() throws Exception {
        String key = UUID.randomUUID().toString();
        String first = place(key, VALID).statusCode(202).extract().path("orderId");
        OrderDatabaseFixture.sql("UPDATE idempotency_keys SET created_at = created_at - INTERVAL '25 hours'");

        String second = place(key, VALID.replace("\"quantity\":2", "\"quantity\":3")).statusCode(202)
                .extract().path("orderId");

        assertThat(second).as("the key's 24 h window has passed: a new order").isNotEqualTo(first);
        assertThat(count("orders")).isEqualTo(2);
        assertThat(place(key, VALID.replace("\"quantity\":2", "\"quantity\":3")).statusCode(202)
                .extract().<String>path("orderId")).as("and the key now answers the new order").isEqualTo(second);
    }

    @Test
    void pruningDeletesOnlyKeysOutsideTheirWindowAndSaysSoInMetrics() throws Exception {
        place(UUID.randomUUID().toString(), VALID).statusCode(202);
        String kept = UUID.randomUUID().toString();
        place(kept, VALID).statusCode(202);
        OrderDatabaseFixture.sql("UPDATE idempotency_keys SET created_at = created_at - INTERVAL '25 hours' "
                + "WHERE idempotency_key <> '" + kept + "'");

        retention.runOnce();

        assertThat(count("idempotency_keys")).isEqualTo(1);
        assertThat(count("orders")).as("orders are business records: never pruned").isEqualTo(2);
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .containsPattern("shopflow_retention_pruned_rows_total\\{[^}]*table=\"idempotency_keys\"[^}]*} [1-9]")
                .containsPattern("shopflow_retention_window_seconds\\{[^}]*table=\"idempotency_keys\"[^}]*} 86400\\.0")
                .containsPattern("shopflow_retention_window_seconds\\{[^}]*table=\"inbox\"[^}]*} 691260\\.0")
                .containsPattern("shopflow_retention_table_size_bytes\\{[^}]*table=\"idempotency_keys\"[^}]*} [1-9]")
                .containsPattern("shopflow_retention_oldest_row_age_seconds\\{[^}]*table=\"idempotency_keys\"")
                .containsPattern("shopflow_retention_runs_total\\{[^}]*outcome=\"done\"[^}]*} [1-9]");
    }

    @Test
    void refusesTheSameKeyWithADifferentBody() throws Exception {
        String key = UUID.randomUUID().toString();
        place(key, VALID).statusCode(202);

        place(key, VALID.replace("\"quantity\":2", "\"quantity\":3"))
                .statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", containsString(key));
        assertThat(count("orders")).isEqualTo(1);
    }

    @Test
    void eachCustomerHasTheirOwnIdempotencyKeys() throws Exception {
        String key = UUID.randomUUID().toString();
        String alices = place(key, VALID).statusCode(202).extract().path("orderId");

        // The same key from another customer: their own new order, not alice's answer nor a conflict.
        String bobs = asCustomer("bob").contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(VALID.replace("alice", "bob")).post("/orders").then().statusCode(202).extract().path("orderId");

        assertThat(bobs).isNotEqualTo(alices);
        assertThat(count("orders")).isEqualTo(2);
        assertThat(place(key, VALID).statusCode(202).extract().<String>path("orderId")).isEqualTo(alices);
    }

    @Test
    void customersPlaceAndSeeOnlyTheirOwnOrders() throws Exception {
        io.restassured.RestAssured.given().contentType(ContentType.JSON).header("Idempotency-Key", "k-anon")
                .body(VALID).post("/orders").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        io.restassured.RestAssured.given().auth().oauth2("forged.token.value").get("/orders/" + UUID.randomUUID())
                .then().statusCode(401);
        asCustomer("bob").contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body(VALID).post("/orders").then().statusCode(403).contentType("application/problem+json");
        assertThat(count("orders")).isZero();

        String orderId = asCustomer("alice").contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(VALID).post("/orders")
                .then().statusCode(202).extract().path("orderId");

        asCustomer("alice").get("/orders/" + orderId).then().statusCode(200);
        asCustomer("bob").get("/orders/" + orderId).then().statusCode(404).contentType("application/problem+json");
        asCustomer("alice").get("/orders?customerId=alice").then().statusCode(200);
        asCustomer("bob").get("/orders?customerId=alice").then().statusCode(404);
    }

    @Test
    void refusesTokensNotMeantForShopflowOrWithoutASubject() throws Exception {
        for (String token : List.of(
                TestTokens.customerWith("alice", claims -> claims.remove("aud")),
                TestTokens.customerWith("alice", claims -> claims.audience("another-service")),
                // Named by upn alone, which MicroProfile JWT would take as the principal's name.
                TestTokens.customerWith("alice", claims -> claims.remove("sub").upn("alice")))) {
            io.restassured.RestAssured.given().auth().oauth2(token).contentType(ContentType.JSON)
                    .header("Idempotency-Key", UUID.randomUUID().toString()).body(VALID).post("/orders")
                    .then().statusCode(401);
        }
        assertThat(count("orders")).isZero();
    }

    @Test
    void theCustomerIsTheTokensSubjectNotItsUpnOrPreferredUsername() throws Exception {
        String aliceNamedBob = TestTokens.customerWith("alice",
                claims -> claims.upn("bob").preferredUserName("bob"));
        io.restassured.RestAssured.given().auth().oauth2(aliceNamedBob).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(VALID.replace("alice", "bob"))
                .post("/orders").then().statusCode(403).contentType("application/problem+json");
        String orderId = io.restassured.RestAssured.given().auth().oauth2(aliceNamedBob).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(VALID).post("/orders")
                .then().statusCode(202).extract().path("orderId");

        io.restassured.RestAssured.given().auth().oauth2(aliceNamedBob).get("/orders/" + orderId)
                .then().statusCode(200).body("customerId", equalTo("alice"));
        asCustomer("bob").get("/orders/" + orderId).then().statusCode(404);
    }

    @Test
    void aTokenWithoutTheCustomerGroupCannotPlaceOrReadOrders() throws Exception {
        String noGroup = TestTokens.customerWith("alice", claims -> claims.remove("groups"));
        io.restassured.RestAssured.given().auth().oauth2(noGroup).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString()).body(VALID).post("/orders")
                .then().statusCode(403).contentType("application/problem+json");
        io.restassured.RestAssured.given().auth().oauth2(noGroup).get("/orders?customerId=alice")
                .then().statusCode(403).contentType("application/problem+json");
        assertThat(count("orders")).isZero();
    }

    @Test
    void answers404AsAProblemForAnUnknownOrder() {
        asOps().get("/orders/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json").body("title", notNullValue());
    }

    @Test
    void pagesACustomersOrdersNewestFirst() throws Exception {
        String customer = "pager-" + UUID.randomUUID();
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            placed.add(place(UUID.randomUUID().toString(), VALID.replace("alice", customer)).statusCode(202)
                    .extract().path("orderId"));
            // Distinct, known times: the order of the pages does not hang on the clock's resolution.
            sql("UPDATE orders SET placed_at = TIMESTAMPTZ '2030-01-01 00:00:00+00' + INTERVAL '" + i + " minutes' "
                    + "WHERE id = '" + placed.get(i) + "'");
        }
        place(UUID.randomUUID().toString(), VALID).statusCode(202);

        asOps().get("/orders?customerId=" + customer + "&page=0&size=2").then().statusCode(200)
                .body("customerId", equalTo(customer)).body("page", equalTo(0)).body("size", equalTo(2))
                .body("total", equalTo(3))
                .body("orders.orderId", contains(placed.get(2), placed.get(1)))
                .body("orders[0].status", equalTo("PENDING"))
                .body("orders[0].items.sku", contains("SKU-1", "SKU-2"));
        asOps().get("/orders?customerId=" + customer + "&page=1&size=2").then().statusCode(200)
                .body("orders.orderId", contains(placed.get(0)));
        asOps().get("/orders?customerId=" + customer + "&page=2&size=2").then().statusCode(200)
                .body("total", equalTo(3)).body("orders", empty());
        asOps().get("/orders?customerId=" + customer).then().statusCode(200)
                .body("page", equalTo(0)).body("size", equalTo(20))
                .body("orders.orderId", contains(placed.get(2), placed.get(1), placed.get(0)));
        asOps().get("/orders?customerId=nobody-" + UUID.randomUUID()).then().statusCode(200)
                .body("total", equalTo(0)).body("orders", empty());
    }

    @Test
    void rejectsBadPagingParametersAsProblems() {
        assertBadQuery("page=0", "customerId");
        asOps().queryParam("customerId", " ").get("/orders").then().statusCode(400)
                .body("violations.field", hasItem("customerId"));
        assertBadQuery("customerId=" + "c".repeat(129), "customerId");
        assertBadQuery("customerId=alice&size=0", "size");
        assertBadQuery("customerId=alice&size=101", "size");
        assertBadQuery("customerId=alice&size=ten", "size");
        assertBadQuery("customerId=alice&page=-1", "page");
        assertBadQuery("customerId=alice&page=1.5", "page");
        assertBadQuery("customerId=alice&page=99999999999", "page");
        assertBadQuery("customerId=alice&page=2147483647&size=2", "page");
        asOps().get("/orders?customerId=alice&size=100").then().statusCode(200);
    }

    private static void assertBadQuery(String query, String field) {
        asOps().get("/orders?" + query).then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("violations.field", hasItem(field));
    }

    @Test
    void rejectsMalformedJson() throws Exception {
        assertRejected(UUID.randomUUID().toString(), "{\"customerId\": \"alice\", \"items\": [", "body");
        assertRejected(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"A\",\"quantity\":\"two\"}]}",
                "body");
    }

    @Test
    void namesTheFieldOfAValueOfTheWrongTypeWithoutJavaTypes() throws Exception {
        place(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"A\",\"quantity\":\"two\"}]}")
                .statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("items[0].quantity"))
                .body("violations[0].message", startsWith("must be a whole number"))
                .body("detail", not(containsString("java")));
        place(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":{\"sku\":\"A\"}}")
                .statusCode(400).body("violations[0].field", equalTo("items"))
                .body("violations[0].message", startsWith("must be an array"));
        place(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"A\",\"quantity\":1e99}]}")
                .statusCode(400).body("violations[0].field", equalTo("items[0].quantity"))
                .body("detail", not(containsString("java")));
        assertThat(count("orders")).isZero();
    }

    @Test
    void rejectsACustomerIdWithAControlCharacter() throws Exception {
        // A NUL cannot go into PostgreSQL: it was a 500, in the body and in the query.
        place(UUID.randomUUID().toString(), VALID.replace("alice", "ali\\u0000ce")).statusCode(400)
                .contentType("application/problem+json").body("violations.field", hasItem("customerId"));
        asOps().urlEncodingEnabled(false).get("/orders?customerId=ali%00ce").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem("customerId"));
        assertThat(count("orders")).isZero();
        assertThat(count("idempotency_keys")).isZero();
    }

    @Test
    void rejectsMissingFields() throws Exception {
        assertRejected(UUID.randomUUID().toString(), "{\"items\":[{\"sku\":\"A\",\"quantity\":1}]}", "customerId");
        assertRejected(UUID.randomUUID().toString(), "{\"customerId\":\"alice\"}", "items");
        assertRejected(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":[{\"quantity\":1}]}",
                "items[0].sku");
        assertRejected(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"A\"}]}",
                "items[0].quantity");
        assertRejected(null, VALID, "Idempotency-Key");
        assertRejected("k".repeat(129), VALID, "Idempotency-Key");
        assertRejected(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":[]}", "items");
        assertRejected(UUID.randomUUID().toString(), "", "body");
    }

    @Test
    void rejectsASkuOutsideItsCharacterSetAsAProblemAndWritesNothing() throws Exception {
        // A NUL cannot go into PostgreSQL's JSONB: it was a 500.
        place(UUID.randomUUID().toString(), VALID.replace("SKU-1", "SKU\\u00001")).statusCode(400)
                .contentType("application/problem+json").body("violations[0].field", equalTo("items[0].sku"));
        place(UUID.randomUUID().toString(), VALID.replace("SKU-1", "SKU 1")).statusCode(400);
        assertThat(count("orders")).isZero();
    }

    @Test
    void rejectsQuantitiesThatAreNotPositive() throws Exception {
        assertRejected(UUID.randomUUID().toString(), VALID.replace("\"quantity\":2", "\"quantity\":0"),
                "items[0].quantity");
        assertRejected(UUID.randomUUID().toString(), VALID.replace("\"quantity\":1", "\"quantity\":-4"),
                "items[1].quantity");
    }

    @Test
    void rejectsTooManyLines() throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 51; i++) {
            items.append(i == 0 ? "" : ",").append("{\"sku\":\"SKU-").append(i).append("\",\"quantity\":1}");
        }
        assertRejected(UUID.randomUUID().toString(), "{\"customerId\":\"alice\",\"items\":[" + items + "]}", "items");
    }

    @Test
    void rejectsAnOversizedBody() throws Exception {
        place(UUID.randomUUID().toString(), oversized(70_000)).statusCode(413)
                .contentType("application/problem+json").body("type", equalTo("/problems/body-too-large"))
                .body("status", equalTo(413)).body("detail", equalTo("The body is larger than 65536 bytes"));
        assertThat(count("orders")).isZero();
    }

    @Test
    void rejectsOversizedBodiesAsProblemsWhateverTheirSizeAndFraming() throws Exception {
        // Just above the 64 KiB limit and far above it, with and without Content-Length: never Quarkus's bare 413.
        for (int size : new int[] {70_000, 2_000_000}) {
            byte[] body = oversized(size).getBytes(StandardCharsets.UTF_8);
            assertOversizeProblem(HttpRequest.BodyPublishers.ofByteArray(body), "declared " + size);
            assertOversizeProblem(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
                    "chunked " + size);
        }
        assertThat(count("orders")).isZero();
        assertThat(count("outbox")).isZero();
        assertThat(count("idempotency_keys")).isZero();
    }

    @Test
    void acceptsABodyJustBelowTheLimitSentInChunks() throws Exception {
        String body = VALID.replace("\"alice\"", "\"alice\",\"note\":\"" + "x".repeat(60_000) + "\"");
        HttpResponse<String> response = send(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(count("orders")).isEqualTo(1);
    }

    private void assertOversizeProblem(HttpRequest.BodyPublisher body, String what) throws Exception {
        HttpResponse<String> response = send(body);
        assertThat(response.statusCode()).as(what).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).as(what).hasValue("application/problem+json");
        assertThat(response.body()).as(what).contains("\"status\":413").contains("larger than 65536 bytes");
    }

    private HttpResponse<String> send(HttpRequest.BodyPublisher body) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest request = HttpRequest.newBuilder(orders).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Authorization", "Bearer " + TestTokens.ops())
                .POST(body).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String oversized(int size) {
        String head = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"A\",\"quantity\":1}],\"note\":\"";
        return head + "x".repeat(size - head.length() - 2) + "\"}";
    }

    private void assertRejected(String key, String body, String field) throws Exception {
        var response = place(key, body).statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("title", notNullValue());
        if (field != null && !"body".equals(field)) {
            response.body("violations.field", hasItem(field));
        }
        assertThat(count("orders")).as("orders after %s", body).isZero();
        assertThat(count("outbox")).isZero();
        assertThat(count("idempotency_keys")).isZero();
    }

    private static io.restassured.response.ValidatableResponse place(String key, String body) {
        var request = asOps().contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/orders").then();
    }
}
