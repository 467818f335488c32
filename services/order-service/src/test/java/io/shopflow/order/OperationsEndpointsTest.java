package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.web.TokenSettingsCheck;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/**
 * What operators and API clients read: health (with the consumer's readiness), OpenAPI, Prometheus metrics; and the
 * token settings an operator must replace outside development.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = OrderDatabaseFixture.DATABASE))
@QuarkusTestResource(KafkaResource.class)
class OperationsEndpointsTest {

    // The sample may be followed by an OpenMetrics exemplar: "# {span_id=...,trace_id=...} 1.0 <time>".
    private static final Pattern PLACED = Pattern.compile("(?m)^shopflow_orders_placed_total(\\{[^}]*})? ([0-9.E+-]+)");

    @Inject
    JWTAuthContextInfo tokenSettings;

    @Test
    void thePackagedTokenSettingsServeDevelopmentOnly() {
        // What the service verifies tokens with when SHOPFLOW_JWT_* are unset: fine here (test profile), a refusal
        // to start in the prod profile of an image unless SHOPFLOW_DEVELOPMENT=true.
        assertThatCode(() -> TokenSettingsCheck.check(tokenSettings, true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> TokenSettingsCheck.check(tokenSettings, false))
                .hasMessageContaining("SHOPFLOW_JWT_PUBLIC_KEY is unset or names (a copy of) the development key")
                .hasMessageContaining("SHOPFLOW_JWT_ISSUER is unset or the development issuer");
        // The same settings with an identity provider's key set (a JWKS URL) and its issuer.
        JWTAuthContextInfo production = new JWTAuthContextInfo(tokenSettings);
        production.setPublicKeyContent(null);
        production.setPublicKeyLocation("https://auth.shopflow.example.com/jwks");
        production.setIssuedBy("https://auth.shopflow.example.com");
        assertThatCode(() -> TokenSettingsCheck.check(production, false)).doesNotThrowAnyException();
        assertThat(tokenSettings.getExpectedAudience()).containsExactly("shopflow");
    }

    @Test
    void healthIsUpWithADatabaseAndAConsumerCheck() {
        asOps().get("/q/health").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL connections")))
                .body("checks.name", hasItem("consumer-order-service"));
        asOps().get("/q/health/ready").then().statusCode(200)
                .body("checks.findAll { it.name == 'consumer-order-service' }.status", contains("UP"));
    }

    @Test
    void publishesTheOpenApiDocumentOfTheOrderApi() {
        asOps().accept(ContentType.JSON).get("/q/openapi").then().statusCode(200)
                .body("info.title", equalTo("Shopflow order API"))
                .body("paths.'/orders'.post.parameters.name", hasItem("Idempotency-Key"))
                .body("paths.'/orders/{orderId}'.get", org.hamcrest.Matchers.notNullValue())
                .body("paths.'/orders'.get.parameters.name", hasItems("customerId", "page", "size"))
                // The Apicurio serde's jar carries the registry's own openapi.json: its paths are not this API's.
                .body("paths.'/groups'", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void countsPlacedOrdersButNotReplays() {
        double before = placedTotal();
        String key = UUID.randomUUID().toString();
        String body = "{\"customerId\":\"bob\",\"items\":[{\"sku\":\"SKU-9\",\"quantity\":1}]}";

        asOps().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/orders")
                .then().statusCode(202);
        asOps().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/orders")
                .then().statusCode(202);

        assertThat(placedTotal()).as(placedLines()).isEqualTo(before + 1);
    }

    private static String placedLines() {
        return asOps().get("/q/metrics").then().extract().asString().lines()
                .filter(l -> l.contains("orders_placed")).reduce("", (a, b) -> a + "\n" + b);
    }

    private static double placedTotal() {
        String metrics = asOps().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = PLACED.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(2)) : 0;
    }
}
