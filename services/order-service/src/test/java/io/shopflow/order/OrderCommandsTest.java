package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.RejectionReason;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.contracts.order.RejectOrder;
import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.messaging.DeadLetter;
import io.shopflow.messaging.DeadLetters;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.nullValue;

/**
 * The end of the PlaceOrder saga on real PostgreSQL and Kafka: ApproveOrder / RejectOrder sent to
 * the order commands topic (Avro, catalog serde), the outcome read from the API, and the events
 * from the outbox table that the relay publishes.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = OrderDatabaseFixture.DATABASE))
@QuarkusTestResource(KafkaResource.class)
class OrderCommandsTest {

    private static final CatalogSerde SERDE = new CatalogSerde();
    private static final String DEAD_LETTER_TOPIC = "shopflow.order-service.dlq";
    private static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void connect() {
        producer = KafkaBroker.shared().producer();
    }

    @AfterAll
    static void disconnect() {
        producer.close();
    }

    @Test
    void approvesAPendingOrderAndAnnouncesItOnce() throws Exception {
        double approvedBefore = approvedTotal();
        UUID order = place("alice");
        ApproveOrder approve = approve(order, 2599);

        send(approve);

        OrderApproved approved = awaitEvents(order, OrderApproved.class, 1).get(0);
        assertThat(approved.getOrderId()).isEqualTo(order);
        assertThat(approved.getCustomerId()).isEqualTo("alice");
        assertThat(approved.getTotalCents()).isEqualTo(2599);
        assertThat(approved.getMetadata().getCorrelationId()).isEqualTo(order.toString());
        assertThat(approved.getMetadata().getCausationId()).isEqualTo(approve.getMetadata().getMessageId().toString());
        OutboxRow row = rows(order, "OrderApproved").get(0);
        assertThat(row.topic()).isEqualTo(Topics.ORDER_EVENTS);
        assertThat(row.aggregateType()).isEqualTo("Order");
        assertThat(row.correlationId()).isEqualTo(order.toString());
        assertThat(row.causationId()).isEqualTo(approve.getMetadata().getMessageId().toString());
        asOps().get("/orders/" + order).then().statusCode(200)
                .body("status", equalTo("APPROVED"))
                .body("totalCents", equalTo(2599))
                .body("$", hasKey("rejectionReason")).body("rejectionReason", nullValue());
        assertThat(approvedTotal()).isEqualTo(approvedBefore + 1);
    }

    @Test
    void rejectsAPendingOrderWithEachReasonAndAnnouncesIt() throws Exception {
        for (RejectionReason reason : List.of(RejectionReason.OUT_OF_STOCK, RejectionReason.PAYMENT_DECLINED,
                RejectionReason.PAYMENT_UNAVAILABLE, RejectionReason.TIMEOUT, RejectionReason.ABORTED)) {
            double rejectedBefore = rejectedTotal(reason);
            UUID order = place("bob");
            RejectOrder reject = reject(order, reason);

            send(reject);

            OrderRejected rejected = awaitEvents(order, OrderRejected.class, 1).get(0);
            assertThat(rejected.getReason()).isEqualTo(reason);
            assertThat(rejected.getCustomerId()).isEqualTo("bob");
            assertThat(rejected.getMetadata().getCorrelationId()).isEqualTo(order.toString());
            assertThat(rejected.getMetadata().getCausationId())
                    .isEqualTo(reject.getMetadata().getMessageId().toString());
            asOps().get("/orders/" + order).then().statusCode(200)
                    .body("status", equalTo("REJECTED"))
                    .body("rejectionReason", equalTo(reason.name()))
                    .body("$", hasKey("totalCents")).body("totalCents", nullValue());
            assertThat(rejectedTotal(reason)).as(reason.name()).isEqualTo(rejectedBefore + 1);
        }
    }

    @Test
    void aRedeliveredCommandAndARepeatedCommandHaveOneEffect() throws Exception {
        double approvedBefore = approvedTotal();
        UUID approvedOrder = place("carol");
        ApproveOrder approve = approve(approvedOrder, 1000);
        ApproveOrder repeated = approve(approvedOrder, 1000);
        UUID rejectedOrder = place("carol");
        RejectOrder reject = reject(rejectedOrder, RejectionReason.OUT_OF_STOCK);
        RejectOrder repeatedWithOtherReason = reject(rejectedOrder, RejectionReason.TIMEOUT);

        // The same message twice (a redelivery), then the same command under a new message id (a
        // saga retry); one key, so one partition: the last one processed means all were.
        send(approve);
        send(approve);
        send(repeated);
        send(reject);
        send(reject);
        send(repeatedWithOtherReason);
        awaitProcessed(repeated.getMetadata());
        awaitProcessed(repeatedWithOtherReason.getMetadata());

        assertThat(events(approvedOrder, OrderApproved.class)).hasSize(1);
        assertThat(events(rejectedOrder, OrderRejected.class)).hasSize(1)
                .allSatisfy(e -> assertThat(e.getReason()).isEqualTo(RejectionReason.OUT_OF_STOCK));
        asOps().get("/orders/" + approvedOrder).then().body("status", equalTo("APPROVED"));
        asOps().get("/orders/" + rejectedOrder).then()
                .body("status", equalTo("REJECTED")).body("rejectionReason", equalTo("OUT_OF_STOCK"));
        assertThat(approvedTotal()).isEqualTo(approvedBefore + 1);
    }

    @Test
    void theOtherOutcomeAfterAFinalStateIsIgnored() throws Exception {
        UUID approvedOrder = place("dave");
        send(approve(approvedOrder, 500));
        awaitEvents(approvedOrder, OrderApproved.class, 1);
        UUID rejectedOrder = place("dave");
        send(reject(rejectedOrder, RejectionReason.PAYMENT_DECLINED));
        awaitEvents(rejectedOrder, OrderRejected.class, 1);

        RejectOrder late = reject(approvedOrder, RejectionReason.ABORTED);
        ApproveOrder lateApproval = approve(rejectedOrder, 700);
        send(late);
        send(lateApproval);
        awaitProcessed(late.getMetadata());
        awaitProcessed(lateApproval.getMetadata());

        assertThat(events(approvedOrder, OrderRejected.class)).isEmpty();
        assertThat(events(approvedOrder, OrderApproved.class)).hasSize(1);
        assertThat(events(rejectedOrder, OrderApproved.class)).isEmpty();
        asOps().get("/orders/" + approvedOrder).then()
                .body("status", equalTo("APPROVED")).body("totalCents", equalTo(500))
                .body("rejectionReason", nullValue());
        asOps().get("/orders/" + rejectedOrder).then()
                .body("status", equalTo("REJECTED")).body("rejectionReason", equalTo("PAYMENT_DECLINED"))
                .body("totalCents", nullValue());
    }

    @Test
    void deadLettersWhatCannotBeAppliedAndProcessesTheNextCommand() throws Exception {
        String poisonKey = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS, poisonKey,
                "not avro".getBytes(StandardCharsets.UTF_8))).get(10, TimeUnit.SECONDS);
        UUID unknownOrder = UUID.randomUUID();
        send(approve(unknownOrder, 100));
        UUID unknownReasonOrder = place("erin");
        send(reject(unknownReasonOrder, RejectionReason.UNKNOWN));
        UUID order = place("erin");
        send(approve(order, 100));

        awaitEvents(order, OrderApproved.class, 1);
        DeadLetters deadLetters = new DeadLetters(KafkaBroker.shared().connection(), DEAD_LETTER_TOPIC);
        List<DeadLetter> letters = await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.list(1000), found -> keys(found).containsAll(
                        List.of(poisonKey, unknownOrder.toString(), unknownReasonOrder.toString())));
        assertThat(letter(letters, unknownOrder.toString()).reason()).contains("unknown order");
        assertThat(letter(letters, unknownReasonOrder.toString()).reason()).contains("UNKNOWN");
        assertThat(letters).allSatisfy(l -> assertThat(l.originalTopic()).isEqualTo(Topics.ORDER_COMMANDS));
        asOps().get("/orders/" + unknownReasonOrder).then().body("status", equalTo("PENDING"));
        assertThat(rows(unknownReasonOrder, "OrderRejected")).isEmpty();
    }

    private static UUID place(String customerId) {
        String id = asOps().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"customerId\":\"" + customerId + "\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}")
                .post("/orders").then().statusCode(202).extract().path("orderId");
        return UUID.fromString(id);
    }

    private static ApproveOrder approve(UUID order, long totalCents) {
        return ApproveOrder.newBuilder().setMetadata(meta(order)).setOrderId(order).setTotalCents(totalCents).build();
    }

    private static RejectOrder reject(UUID order, RejectionReason reason) {
        return RejectOrder.newBuilder().setMetadata(meta(order)).setOrderId(order).setReason(reason).build();
    }

    private static MessageMetadata meta(UUID order) {
        return Metadata.newMessage(order.toString(), UUID.randomUUID().toString(), Instant.now());
    }

    /** Keyed by the order id, as the saga's outbox rows are. */
    private static void send(SpecificRecord command) throws Exception {
        UUID order = (UUID) command.get(command.getSchema().getField("orderId").pos());
        producer.send(new ProducerRecord<>(Topics.ORDER_COMMANDS, order.toString(),
                SERDE.serialize(Topics.ORDER_COMMANDS, command))).get(10, TimeUnit.SECONDS);
    }

    /** Waits until the consumer recorded the message in its inbox, i.e. committed its effect (or none). */
    private static void awaitProcessed(MessageMetadata metadata) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Connection c = PostgresServer.shared().connect(OrderDatabaseFixture.DATABASE);
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT count(*) FROM inbox WHERE message_id = ? AND consumer = 'order-service'")) {
                ps.setObject(1, metadata.getMessageId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1) == 1;
                }
            }
        });
    }

    private static <T extends SpecificRecord> List<T> awaitEvents(UUID order, Class<T> type, int count) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> events(order, type), e -> e.size() >= count);
    }

    private static <T extends SpecificRecord> List<T> events(UUID order, Class<T> type) throws Exception {
        List<T> events = new ArrayList<>();
        for (OutboxRow row : rows(order, type.getSimpleName())) {
            events.add(type.cast(SERDE.deserialize(Topics.ORDER_EVENTS, row.payload())));
        }
        return events;
    }

    private record OutboxRow(String topic, String aggregateType, String correlationId, String causationId,
                             byte[] payload) {
    }

    private static List<OutboxRow> rows(UUID order, String messageType) throws Exception {
        List<OutboxRow> rows = new ArrayList<>();
        try (Connection c = PostgresServer.shared().connect(OrderDatabaseFixture.DATABASE);
             PreparedStatement ps = c.prepareStatement("SELECT topic, aggregate_type, correlation_id, causation_id, "
                     + "payload FROM outbox WHERE aggregate_id = ? AND message_type = ? ORDER BY position")) {
            ps.setString(1, order.toString());
            ps.setString(2, messageType);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new OutboxRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getBytes(5)));
                }
            }
        }
        return rows;
    }

    private static List<String> keys(List<DeadLetter> letters) {
        return letters.stream().map(DeadLetter::key).toList();
    }

    private static DeadLetter letter(List<DeadLetter> letters, String key) {
        Optional<DeadLetter> found = letters.stream().filter(l -> key.equals(l.key())).findFirst();
        assertThat(found).as("dead letter %s", key).isPresent();
        return found.get();
    }

    // A sample may be followed by an OpenMetrics exemplar: "# {span_id=...,trace_id=...} 1.0 <time>".
    private static double approvedTotal() {
        return metric(Pattern.compile("(?m)^shopflow_orders_approved_total(\\{[^}]*})? ([0-9.E+-]+)"));
    }

    private static double rejectedTotal(RejectionReason reason) {
        return metric(Pattern.compile("(?m)^shopflow_orders_rejected_total\\{[^}]*reason=\"" + reason.name()
                + "\"[^}]*} ([0-9.E+-]+)"));
    }

    private static double metric(Pattern sample) {
        String metrics = asOps().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = sample.matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(m.groupCount())) : 0;
    }
}
