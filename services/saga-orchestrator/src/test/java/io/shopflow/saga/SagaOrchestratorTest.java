package io.shopflow.saga;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.inventory.ReleaseStock;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.contracts.saga.SagaCompleted;
import io.shopflow.messaging.DeadLetter;
import io.shopflow.messaging.DeadLetters;
import io.shopflow.messaging.cdi.RetentionJob;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import io.shopflow.testing.ServiceMessages;
import jakarta.inject.Inject;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.shopflow.testing.TestTokens.asCustomer;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * The orchestrator on real PostgreSQL and Kafka: replies arrive on Kafka as the relay would
 * publish them; what the saga sends is read from its outbox, which a {@link TestRelay} publishes
 * (no participant consumes it here, so a command is lost as far as the saga can tell).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "sagas"))
@QuarkusTestResource(KafkaResource.class)
class SagaOrchestratorTest {

    private static ServiceMessages messages;

    @Inject
    RetentionJob retention;
    private static TestRelay relay;

    @BeforeAll
    static void connect() {
        messages = new ServiceMessages("sagas");
        relay = TestRelay.start();
    }

    @AfterAll
    static void disconnect() throws InterruptedException {
        relay.close();
        messages.close();
    }

    @Test
    void aMalformedPathOrQueryValueIsABadRequestProblem() {
        asOps().get("/sagas/not-a-uuid").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("not-a-uuid"));
        asOps().post("/sagas/not-a-uuid/retry").then().statusCode(400).contentType("application/problem+json");
        asOps().get("/sagas?limit=many").then().statusCode(400).contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("many"));
        asOps().post("/ops/dead-letters/shopflow.saga-orchestrator.dlq/zero/0/replay").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void drivesAnOrderToApprovalThroughItsParticipantsReplies() {
        UUID order = UUID.randomUUID();
        send(Topics.ORDER_EVENTS, placed(order));
        awaitSent(order, ReserveStock.class, 1);

        send(Topics.INVENTORY_EVENTS, StockReserved.newBuilder().setMetadata(meta(order)).setOrderId(order)
                .setLines(List.of()).setTotalCents(2500).build());
        awaitSent(order, AuthorizePayment.class, 1);

        send(Topics.PAYMENT_EVENTS, PaymentAuthorized.newBuilder().setMetadata(meta(order)).setOrderId(order)
                .setAuthorizationId("auth-1").setAmountCents(2500).build());
        awaitSent(order, ApproveOrder.class, 1);

        send(Topics.ORDER_EVENTS, OrderApproved.newBuilder().setMetadata(meta(order)).setOrderId(order)
                .setCustomerId("alice").setTotalCents(2500).build());
        awaitSent(order, SagaCompleted.class, 1);

        asOps().get("/sagas/" + order).then().statusCode(200)
                .body("state", equalTo("APPROVED"))
                .body("step", equalTo("DONE"))
                .body("totalCents", equalTo(2500))
                .body("history.event", hasItem("payment authorized (auth-1)"));
    }

    @Test
    void prunesSagasThatEndedLongerAgoThanTheirWindowAndNeverOneThatRuns() throws Exception {
        UUID old = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        UUID running = UUID.randomUUID();
        Instant now = Instant.now();
        insertSaga(old, "APPROVED", now.minus(Duration.ofDays(31)), now.minus(Duration.ofDays(31)));
        insertSaga(recent, "REJECTED", now.minus(Duration.ofDays(40)), now.minus(Duration.ofDays(29)));
        insertSaga(running, "RUNNING", now.minus(Duration.ofDays(40)), null);

        retention.runOnce();

        asOps().get("/sagas/" + old).then().statusCode(404);
        asOps().get("/sagas/" + recent).then().statusCode(200).body("state", equalTo("REJECTED"));
        asOps().get("/sagas/" + running).then().statusCode(200).body("state", equalTo("RUNNING"));
        try (Connection c = PostgresServer.shared().connect("sagas")) {
            c.createStatement().execute("DELETE FROM saga WHERE order_id IN ('" + recent + "', '" + running + "')");
        }
    }

    @Test
    void aRedeliveredMessageHasNoSecondEffect() {
        UUID order = UUID.randomUUID();
        OrderPlaced placed = placed(order);
        send(Topics.ORDER_EVENTS, placed);
        awaitSent(order, ReserveStock.class, 1);
        StockReserved reserved = StockReserved.newBuilder().setMetadata(meta(order)).setOrderId(order)
                .setLines(List.of()).setTotalCents(700).build();

        send(Topics.INVENTORY_EVENTS, reserved);
        send(Topics.INVENTORY_EVENTS, reserved);
        send(Topics.ORDER_EVENTS, placed);

        awaitSent(order, AuthorizePayment.class, 1);
        // Give the duplicates time to be consumed, then check nothing more was sent.
        sleep(1000);
        assertThat(sent(order, AuthorizePayment.class)).isEqualTo(1);
        assertThat(sent(order, ReserveStock.class)).isEqualTo(1);
    }

    @Test
    void deadLettersAPoisonMessageAndGoesOn() {
        UUID poisoned = UUID.randomUUID();
        messages.sendRaw(Topics.INVENTORY_EVENTS, poisoned.toString(), new byte[] {1, 2, 3, 4});
        UUID order = UUID.randomUUID();
        send(Topics.ORDER_EVENTS, placed(order));

        awaitSent(order, ReserveStock.class, 1);
        DeadLetters deadLetters = new DeadLetters(KafkaBroker.shared().connection(),
                "shopflow.saga-orchestrator.dlq");
        List<DeadLetter> letters = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.list(100), l -> l.stream().anyMatch(d -> poisoned.toString().equals(d.key())));
        DeadLetter letter = letters.stream().filter(d -> poisoned.toString().equals(d.key())).findFirst().orElseThrow();
        assertThat(letter.originalTopic()).isEqualTo(Topics.INVENTORY_EVENTS);
        assertThat(letter.reason()).contains("NOT_SINGLE_OBJECT_ENCODED");
    }

    @Test
    void resendsWhenInventoryStaysSilentThenCompensates() {
        UUID order = UUID.randomUUID();
        send(Topics.ORDER_EVENTS, placed(order));

        awaitSent(order, ReserveStock.class, 2);
        awaitSent(order, ReleaseStock.class, 1);
        asOps().get("/sagas/" + order).then().statusCode(200)
                .body("state", equalTo("COMPENSATING"))
                .body("rejectionReason", equalTo("TIMEOUT"));
    }

    @Test
    void operatorsCanAbortBeforeThePivotButNotRetryARunningSaga() {
        UUID order = UUID.randomUUID();
        send(Topics.ORDER_EVENTS, placed(order));
        awaitSent(order, ReserveStock.class, 1);

        asOps().post("/sagas/" + order + "/retry").then().statusCode(409).contentType("application/problem+json");
        asOps().post("/sagas/" + order + "/abort").then().statusCode(202)
                .body("rejectionReason", equalTo("ABORTED"));
        awaitSent(order, ReleaseStock.class, 1);
        asOps().post("/sagas/" + UUID.randomUUID() + "/abort").then().statusCode(404);
        asOps().get("/sagas?state=COMPENSATING").then().statusCode(200).body("orderId", hasItem(order.toString()));
        asOps().get("/sagas?state=NOPE").then().statusCode(400);
    }

    @Test
    void theOpsApiNeedsTheOpsGroup() {
        io.restassured.RestAssured.given().get("/sagas").then().statusCode(401);
        asCustomer("alice").get("/sagas").then().statusCode(403);
        asCustomer("alice").post("/sagas/" + UUID.randomUUID() + "/abort").then().statusCode(403);
        asOps().get("/ops/dead-letters").then().statusCode(200);
    }

    @Test
    void exposesTheDeadlineMetricsTheSagaDashboardReads() {
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();

        for (String name : List.of("shopflow_saga_deadline_expiries_total", "shopflow_saga_retries_total",
                "shopflow_saga_deadline_extensions_total", "shopflow_saga_resends_deferred_total")) {
            assertThat(metrics).contains(name + "{step=\"RESERVE_STOCK\"}");
        }
    }

    private static OrderPlaced placed(UUID order) {
        return OrderPlaced.newBuilder().setMetadata(meta(order)).setOrderId(order).setCustomerId("alice")
                .setItems(List.of(new OrderLine("SKU-1", 2))).build();
    }

    private static io.shopflow.contracts.common.MessageMetadata meta(UUID order) {
        return Metadata.newMessage(order.toString(), null, Instant.now());
    }

    private static void send(String topic, SpecificRecord message) {
        messages.send(topic, message);
    }

    private static void awaitSent(UUID order, Class<? extends SpecificRecord> type, int count) {
        messages.awaitSent(order, type, count);
    }

    /** How many messages of {@code type} the orchestrator wrote to its outbox for the order. */
    private static int sent(UUID order, Class<? extends SpecificRecord> type) {
        return messages.sent(order, type).size();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A saga row as the orchestrator writes it, started and (when not null) ended at the given times. */
    private static void insertSaga(UUID order, String state, Instant startedAt, Instant endedAt) throws Exception {
        try (Connection c = PostgresServer.shared().connect("sagas"); PreparedStatement insert = c.prepareStatement(
                "INSERT INTO saga (order_id, saga_type, customer_id, items, step, state, compensating, total_cents, "
                        + "stock_may_be_held, payment_may_be_held, attempts, started_at, step_started_at, ended_at, "
                        + "history, version) VALUES (?, 'PlaceOrder', 'alice', '{\"lines\": []}', ?, ?, false, 100, "
                        + "false, false, 1, ?, ?, ?, '{\"entries\": []}', 0)")) {
            insert.setObject(1, order);
            insert.setString(2, endedAt == null ? "RESERVE_STOCK" : "DONE");
            insert.setString(3, state);
            insert.setTimestamp(4, Timestamp.from(startedAt));
            insert.setTimestamp(5, Timestamp.from(startedAt));
            insert.setTimestamp(6, endedAt == null ? null : Timestamp.from(endedAt));
            insert.executeUpdate();
        }
    }
}
