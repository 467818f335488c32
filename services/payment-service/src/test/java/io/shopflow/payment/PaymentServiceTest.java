package io.shopflow.payment;

import io.shopflow.payment.domain.CreditAccount;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.RejectionReason;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.contracts.payment.PaymentDeclined;
import io.shopflow.contracts.payment.PaymentVoided;
import io.shopflow.contracts.payment.VoidPayment;
import io.shopflow.messaging.DeadLetters;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.ServiceMessages;
import io.shopflow.testing.TestTokens;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.shopflow.payment.PaymentCommandsFixture.authorize;
import static io.shopflow.payment.PaymentCommandsFixture.meta;
import static io.shopflow.payment.PaymentCommandsFixture.newCustomer;
import static io.shopflow.testing.TestTokens.asCustomer;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/**
 * payment-service on real PostgreSQL and Kafka, against the provider simulator over HTTP:
 * commands in from Kafka, replies read from its outbox. The outage test runs last: it opens the
 * circuit breaker.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "payments"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(ProviderSimulatorResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PaymentServiceTest {

    private static ServiceMessages messages;

    @BeforeAll
    static void connect() {
        messages = new ServiceMessages("payments");
    }

    @AfterAll
    static void disconnect() {
        messages.close();
    }

    @Test
    @Order(1)
    void authorizesOncePerOrderWhateverIsRedeliveredAndVoidRestoresTheCredit() throws Exception {
        String customer = newCustomer();
        UUID order = UUID.randomUUID();
        AuthorizePayment authorize = authorize(order, customer, 30_000);

        send(authorize);
        PaymentAuthorized authorized = await(order, PaymentAuthorized.class, 1).get(0);
        send(authorize);
        send(authorize(order, customer, 30_000));
        await(order, PaymentAuthorized.class, 2);
        Thread.sleep(500);

        assertThat(replies(order, PaymentAuthorized.class)).hasSize(2)
                .allSatisfy(p -> assertThat(p.getAuthorizationId()).isEqualTo(authorized.getAuthorizationId()));
        asOps().get("/accounts/" + customer).then().statusCode(200)
                .body("creditLimitCents", equalTo(100_000)).body("availableCents", equalTo(70_000));
        assertThat(stats()).contains("\"authorizations\":");

        send(VoidPayment.newBuilder().setMetadata(meta(order)).setOrderId(order).build());
        await(order, PaymentVoided.class, 1);
        asOps().get("/accounts/" + customer).then().body("availableCents", equalTo(100_000));
        // The provider bulkhead's bound (16 running, 32 waiting) is observable.
        assertThat(asOps().get("/q/metrics").then().statusCode(200).extract().asString())
                .contains("ft_bulkhead_executionsRunning", "ft_bulkhead_executionsWaiting", "ft_bulkhead_calls_total");
    }

    @Test
    @Order(2)
    void voidingAnAuthorizationTheProviderForgotCompletesAndRestoresTheCredit() throws Exception {
        String customer = newCustomer();
        UUID order = UUID.randomUUID();
        send(authorize(order, customer, 20_000));
        await(order, PaymentAuthorized.class, 1);
        HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                        + ProviderSimulatorResource.simulator.port() + "/admin/forget"))
                .header("Authorization", "Bearer " + ProviderSimulatorResource.ADMIN_TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        send(VoidPayment.newBuilder().setMetadata(meta(order)).setOrderId(order).build());

        await(order, PaymentVoided.class, 1);
        asOps().get("/accounts/" + customer).then().body("availableCents", equalTo(100_000));
    }

    @Test
    @Order(2)
    void declinesWithoutCallingTheProviderWhenOverTheCreditLimit() {
        String customer = newCustomer();
        asOps().contentType(ContentType.JSON).body("{\"creditLimitCents\":1000}").put("/accounts/" + customer)
                .then().statusCode(200).body("availableCents", equalTo(1000));
        UUID order = UUID.randomUUID();

        send(authorize(order, customer, 1500));

        PaymentDeclined declined = await(order, PaymentDeclined.class, 1).get(0);
        assertThat(declined.getReason()).isEqualTo(RejectionReason.PAYMENT_DECLINED);
        asOps().get("/accounts/" + customer).then().body("availableCents", equalTo(1000));
    }

    @Test
    @Order(2)
    void refusesALimitBelowWhatIsHeldAsAConflictProblem() {
        String customer = newCustomer();
        authorized(customer, 30_000);

        asOps().contentType(ContentType.JSON).body("{\"creditLimitCents\":20000}").put("/accounts/" + customer)
                .then().statusCode(409).contentType("application/problem+json")
                .body("detail", equalTo("limit 20000 is below the 30000 cents held"));
        asOps().get("/accounts/" + customer).then().body("creditLimitCents", equalTo(100_000))
                .body("availableCents", equalTo(70_000));
    }

    @Test
    @Order(2)
    void timesTheProviderCallsAsTheSagaFeelsThem() {
        authorized(newCustomer(), 700);

        assertThat(asOps().get("/q/metrics").then().statusCode(200).extract().asString().lines())
                .anyMatch(l -> l.startsWith("shopflow_payment_provider_seconds_count{")
                        && l.contains("operation=\"authorize\"") && l.contains("outcome=\"success\""));
    }

    @Test
    @Order(3)
    void voidingAnOrderWithoutPaymentLeavesATombstoneAndAnswers() {
        UUID order = UUID.randomUUID();

        send(VoidPayment.newBuilder().setMetadata(meta(order)).setOrderId(order).build());
        await(order, PaymentVoided.class, 1);
        send(authorize(order, newCustomer(), 10));

        PaymentDeclined declined = await(order, PaymentDeclined.class, 1).get(0);
        assertThat(declined.getReason()).isEqualTo(RejectionReason.PAYMENT_DECLINED);
    }

    @Test
    @Order(4)
    void deadLettersAPoisonCommandAndProcessesTheNextOne() {
        String poisonKey = UUID.randomUUID().toString();
        messages.sendRaw(Topics.PAYMENT_COMMANDS, poisonKey, new byte[] {(byte) 0xC3, 1, 0});
        UUID order = UUID.randomUUID();
        send(authorize(order, newCustomer(), 10));

        await(order, PaymentAuthorized.class, 1);
        DeadLetters deadLetters = new DeadLetters(KafkaBroker.shared().connection(),
                "shopflow.payment-service.dlq");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.list(100).stream().anyMatch(d -> poisonKey.equals(d.key())));
    }

    @Test
    @Order(5)
    void rejectsInvalidLimits() {
        asOps().contentType(ContentType.JSON).body("{\"creditLimitCents\":-5}").put("/accounts/x")
                .then().statusCode(400).contentType("application/problem+json");
        // A type mismatch: a problem naming the field and what it must be, never a Java type (was a bare 400).
        asOps().contentType(ContentType.JSON).body("{\"creditLimitCents\":\"lots\"}").put("/accounts/x")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("creditLimitCents must be a whole number"))
                .body("detail", not(containsString("java")));
        asOps().contentType(ContentType.JSON).body("{\"creditLimitCents\":" + (CreditAccount.MAX_LIMIT_CENTS + 1) + "}")
                .put("/accounts/x").then().statusCode(400).body("detail", containsString("creditLimitCents"));
        // A NUL in the path cannot go into PostgreSQL: it was a 500.
        asOps().urlEncodingEnabled(false).get("/accounts/a%00b").then().statusCode(400)
                .contentType("application/problem+json");
        asOps().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{\"creditLimitCents\":5}")
                .put("/accounts/a%00b").then().statusCode(400).contentType("application/problem+json");
        asOps().get("/accounts/" + newCustomer()).then().statusCode(200).body("availableCents", equalTo(100_000));
    }

    @Test
    @Order(6)
    void customersSeeOnlyTheirOwnAccountAndOnlyOpsChangeLimits() {
        asCustomer("dora").get("/accounts/dora").then().statusCode(200).body("customerId", equalTo("dora"));
        asCustomer("dora").get("/accounts/erik").then().statusCode(404).contentType("application/problem+json");
        asCustomer("dora").contentType(ContentType.JSON).body("{\"creditLimitCents\":1}").put("/accounts/dora")
                .then().statusCode(403);
        io.restassured.RestAssured.given().get("/accounts/dora").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
        io.restassured.RestAssured.given().auth().oauth2(TestTokens.customerWith("dora", c -> c.remove("groups")))
                .get("/accounts/dora").then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    @Order(99)
    void declinesAsUnavailableWhenTheProviderIsDownWithoutHoldingCredit() throws Exception {
        String customer = newCustomer();
        ProviderSimulatorResource.behaviour("{\"outage\":true}");
        try {
            UUID order = UUID.randomUUID();
            send(authorize(order, customer, 500));

            PaymentDeclined declined = await(order, PaymentDeclined.class, 1).get(0);
            assertThat(declined.getReason()).isEqualTo(RejectionReason.PAYMENT_UNAVAILABLE);
            asOps().get("/accounts/" + customer).then().body("availableCents", equalTo(100_000));
        } finally {
            ProviderSimulatorResource.behaviour("{\"outage\":false}");
        }
    }

    /** Authorizes a new order of {@code customer} and waits for its PaymentAuthorized. */
    private static void authorized(String customer, long amount) {
        UUID order = UUID.randomUUID();
        send(authorize(order, customer, amount));
        await(order, PaymentAuthorized.class, 1);
    }

    private static void send(SpecificRecord command) {
        messages.send(Topics.PAYMENT_COMMANDS, command);
    }

    private static String stats() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + ProviderSimulatorResource.simulator.port() + "/admin/stats"))
                .header("Authorization", "Bearer " + ProviderSimulatorResource.ADMIN_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static <T extends SpecificRecord> List<T> await(UUID order, Class<T> type, int count) {
        return messages.awaitSent(order, type, count);
    }

    private static <T extends SpecificRecord> List<T> replies(UUID order, Class<T> type) {
        return messages.sent(order, type);
    }
}
