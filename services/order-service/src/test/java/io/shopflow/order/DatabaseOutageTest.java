package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.shopflow.order.OrderDatabaseFixture.count;
import static io.shopflow.order.OrderDatabaseFixture.sql;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The order API while its PostgreSQL is away, as in the {@code postgres-restart} drill: the shared
 * embedded server is stopped (connections refused, the pool's connections closed) and started again on
 * the same port. A request meanwhile is a 503 problem with {@code Retry-After}, which clients retry
 * with the same Idempotency-Key, not a 500; once the server is back the same request places the order
 * and the service is ready again.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = OrderDatabaseFixture.DATABASE))
@QuarkusTestResource(KafkaResource.class)
class DatabaseOutageTest {

    private static final String ORDER = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2}]}";

    @BeforeEach
    void clean() throws Exception {
        OrderDatabaseFixture.clean();
    }

    @Test
    void answers503WithRetryAfterWhilePostgresIsDownAndPlacesTheRetriedOrderOnceItIsBack() throws Exception {
        String placedBefore = place(UUID.randomUUID().toString()).statusCode(202).extract().path("orderId");
        String key = UUID.randomUUID().toString();
        PostgresServer server = PostgresServer.shared();

        server.stop();
        try {
            unavailable(place(key));
            unavailable(place(key));
            unavailable(asOps().get("/orders/" + placedBefore).then());
            unavailable(asOps().get("/orders?customerId=alice").then());
            asOps().get("/q/health/ready").then().statusCode(503);
        } finally {
            server.start();
        }

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> place(key).extract().statusCode() == 202);
        // Both pools (reactive for requests, JDBC for retention) drop the connections of the old server:
        // ready again, with no restart of the service.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> asOps().get("/q/health/ready").statusCode() == 200);
        asOps().get("/orders/" + placedBefore).then().statusCode(200).body("status", equalTo("PENDING"));
        assertThat(count("orders")).as("the order before the outage and the retried one").isEqualTo(2);
        assertThat(count("outbox")).isEqualTo(2);
    }

    @Test
    void answers500ForADatabaseErrorThatIsNoOutage() throws Exception {
        String orderId = place(UUID.randomUUID().toString()).statusCode(202).extract().path("orderId");
        // A grant missing is a fault of the deployment: retrying does not help, so it is no 503.
        sql("REVOKE SELECT ON orders FROM " + PostgresServer.appRole(OrderDatabaseFixture.DATABASE));
        try {
            asOps().get("/orders/" + orderId).then().statusCode(500)
                    .contentType("application/problem+json")
                    .header("Retry-After", (String) null)
                    .body("type", equalTo("/problems/internal-error"));
        } finally {
            sql("GRANT SELECT ON orders TO " + PostgresServer.appRole(OrderDatabaseFixture.DATABASE));
        }
        asOps().get("/orders/" + orderId).then().statusCode(200);
    }

    private static void unavailable(ValidatableResponse response) {
        response.statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("/problems/database-unavailable"))
                .body("status", equalTo(503))
                .body("title", equalTo("Database unavailable"))
                .body("detail", containsString("Retry"));
    }

    private static ValidatableResponse place(String key) {
        return asOps().contentType(ContentType.JSON).header("Idempotency-Key", key).body(ORDER).post("/orders").then();
    }
}
