package io.shopflow.relay.app;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.contracts.Topics;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The Quarkus wiring: configuration into the relay, readiness, and the metrics at /q/metrics. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(RelaySourceResource.class)
class RelayAppTest {

    @Test
    void isReadyOnceStreamingAndExposesItsMetrics() throws Exception {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP")));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));

        try (Connection c = PostgresServer.shared().connect(RelaySourceResource.DATABASE);
             PreparedStatement insert = c.prepareStatement("INSERT INTO outbox (id, aggregate_type, aggregate_id, "
                     + "topic, message_type, payload, correlation_id) VALUES (?, 'Order', 'o-1', "
                     + "?, 'OrderPlaced', '\\x01'::bytea, 'c-1')")) {
            insert.setObject(1, UUID.randomUUID());
            // A topic of the order outbox: the relay's principal may write no other (ADR 14).
            insert.setString(2, Topics.ORDER_EVENTS);
            insert.executeUpdate();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(containsString("shopflow_relay_published_total{source=\"order\"} 1.0")));
        given().get("/q/metrics").then()
                .body(containsString("shopflow_relay_publish_retries_total{source=\"order\"}"))
                .body(containsString("shopflow_relay_lag_seconds{source=\"order\"}"))
                .body(containsString("shopflow_relay_streaming{source=\"order\"} 1.0"))
                .body(containsString("shopflow_relay_in_flight{source=\"order\"} 0.0"))
                .body(containsString("shopflow_relay_publish_latency_seconds_count{source=\"order\"} 1.0"));
    }
}
