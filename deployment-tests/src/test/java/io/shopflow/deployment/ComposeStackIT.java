package io.shopflow.deployment;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.shopflow.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker compose up} for real: builds every image from source, starts the whole platform
 * in the apicurio serde mode, places orders through the public API and waits for each to reach
 * its final state. Needs a Docker engine with compose v2 (GitHub Actions: the {@code compose}
 * job of {@code .github/workflows/ci.yml}); skipped, and reported as skipped, where none runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ComposeStackIT {

    private static final Duration STARTUP = Duration.ofMinutes(25);

    @Container
    static final ComposeContainer COMPOSE = new ComposeContainer(Repository.path("compose.yaml").toFile())
            .withBuild(true)
            .withStartupTimeout(STARTUP)
            .withTailChildContainers(true)
            .withExposedService("order-service", 8080, Wait.forHealthcheck().withStartupTimeout(STARTUP))
            .withExposedService("inventory-service", 8081, Wait.forHealthcheck().withStartupTimeout(STARTUP))
            .withExposedService("outbox-relay", 8089, Wait.forHealthcheck().withStartupTimeout(STARTUP));

    @Test
    void ordersPlacedThroughThePublicApiReachTheirFinalState() {
        String inventory = url("inventory-service", 8081);
        for (String sku : List.of("COMPOSE-1", "COMPOSE-2")) {
            RestAssured.given().auth().oauth2(TestTokens.ops()).contentType(ContentType.JSON)
                    .body("{\"available\":100,\"priceCents\":250}")
                    .put(inventory + "/stock/" + sku).then().statusCode(200);
        }
        String orders = url("order-service", 8080);
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String customer = "compose-" + i;
            placed.add(RestAssured.given().auth().oauth2(TestTokens.customer(customer)).contentType(ContentType.JSON)
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .body("{\"customerId\":\"" + customer + "\",\"items\":[{\"sku\":\"COMPOSE-" + (1 + i % 2)
                            + "\",\"quantity\":1}]}")
                    .post(orders + "/orders").then().statusCode(202).extract().path("orderId"));
        }
        for (int i = 0; i < placed.size(); i++) {
            String id = placed.get(i);
            String customer = "compose-" + i;
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(RestAssured.given().auth().oauth2(TestTokens.customer(customer))
                            .get(orders + "/orders/" + id).then().statusCode(200).extract().<String>path("status"))
                            .as("order %s", id).isEqualTo("APPROVED"));
        }
    }

    private static String url(String service, int port) {
        return "http://" + COMPOSE.getServiceHost(service, port) + ":" + COMPOSE.getServicePort(service, port);
    }
}
