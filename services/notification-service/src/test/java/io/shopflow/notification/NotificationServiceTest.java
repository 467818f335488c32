package io.shopflow.notification;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.common.OrderOutcome;
import io.shopflow.contracts.common.RejectionReason;
import io.shopflow.contracts.notification.CustomerNotified;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.messaging.DeadLetters;
import io.shopflow.notification.adapter.mail.EmailSender;
import io.shopflow.notification.adapter.mail.FailingEmailSender;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import io.shopflow.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.sse.SseEventSource;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.shopflow.testing.TestTokens.asCustomer;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * notification-service on real PostgreSQL and Kafka: order outcomes in from Kafka, emails in the
 * mock mailbox, rows and CustomerNotified events read from its database.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "notifications"))
@QuarkusTestResource(KafkaResource.class)
class NotificationServiceTest {

    private static final String DATABASE = "notifications";
    private static final CatalogSerde SERDE = new CatalogSerde();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static KafkaProducer<String, byte[]> producer;

    @Inject
    MockMailbox mailbox;

    @Inject
    ReactiveMailer mailer;

    @TestHTTPResource("/notifications/stream")
    URI stream;

    @BeforeAll
    static void connect() {
        producer = KafkaBroker.shared().producer();
    }

    @AfterAll
    static void disconnect() {
        producer.close();
    }

    @Test
    void confirmsAnApprovedOrderWithOneEmailOneRowAndOneEvent() throws Exception {
        String alice = customer("Alice");
        UUID order = UUID.randomUUID();
        OrderApproved approved = approved(order, alice);

        send(approved);
        awaitNotifications(order, 1);

        List<Mail> mails = mailbox.getMailsSentTo(address(alice));
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getSubject()).contains(order.toString(), "confirmed");
        CustomerNotified event = events(order).get(0);
        assertThat(events(order)).hasSize(1);
        assertThat(event.getOutcome()).isEqualTo(OrderOutcome.APPROVED);
        assertThat(event.getCustomerId()).isEqualTo(alice);
        assertThat(event.getChannel()).isEqualTo("EMAIL");
        assertThat(event.getMetadata().getCorrelationId()).isEqualTo(order.toString());
        assertThat(event.getMetadata().getCausationId()).isEqualTo(approved.getMetadata().getMessageId().toString());
        asOps().get("/notifications?orderId=" + order).then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].outcome", equalTo("APPROVED"))
                .body("[0].reason", nullValue())
                .body("[0].recipient", equalTo(address(alice)))
                .body("[0].sentAt", notNullValue());
    }

    @Test
    void explainsARejectionWithOneEmailOneRowAndOneEvent() throws Exception {
        String bob = customer("Bob");
        UUID order = UUID.randomUUID();

        send(rejected(order, bob, RejectionReason.PAYMENT_DECLINED));
        awaitNotifications(order, 1);

        List<Mail> mails = mailbox.getMailsSentTo(address(bob));
        assertThat(mails).hasSize(1);
        assertThat(mails.get(0).getText()).contains("the payment was declined", "Nothing was charged");
        assertThat(events(order)).singleElement()
                .satisfies(e -> assertThat(e.getOutcome()).isEqualTo(OrderOutcome.REJECTED));
        asOps().get("/notifications?orderId=" + order).then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].outcome", equalTo("REJECTED"))
                .body("[0].reason", equalTo("PAYMENT_DECLINED"))
                .body("[0].channel", equalTo("EMAIL"));
    }

    @Test
    void notifiesOncePerOutcomeWhateverIsRedeliveredAndIgnoresOtherOrderEvents() throws Exception {
        String carol = customer("Carol");
        UUID order = UUID.randomUUID();
        OrderApproved approved = approved(order, carol);

        send(OrderPlaced.newBuilder().setMetadata(meta(order)).setOrderId(order).setCustomerId(carol)
                .setItems(List.of(new OrderLine("SKU-1", 1))).build());
        send(approved);
        awaitNotifications(order, 1);
        send(approved);
        OrderApproved sameOutcomeNewMessage = approved(order, carol);
        send(sameOutcomeNewMessage);
        // One partition per order key: once the last message is processed, so are those before it.
        awaitProcessed(sameOutcomeNewMessage.getMetadata());

        assertThat(notifications(order)).isEqualTo(1);
        assertThat(mailbox.getMailsSentTo(address(carol))).hasSize(1);
        assertThat(events(order)).hasSize(1);
    }

    @Test
    void deadLettersAPoisonMessageAndNotifiesTheNextOrder() throws Exception {
        String poisonKey = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(Topics.ORDER_EVENTS, poisonKey, "not avro".getBytes()))
                .get(10, TimeUnit.SECONDS);
        UUID order = UUID.randomUUID();
        send(approved(order, customer("Dave")));

        awaitNotifications(order, 1);
        DeadLetters deadLetters = new DeadLetters(KafkaBroker.shared().connection(),
                "shopflow.notification-service.dlq");
        await().atMost(PATIENCE).until(() -> deadLetters.list(100).stream().anyMatch(d -> poisonKey.equals(d.key())));
    }

    @Test
    void listsTheNotificationsOfOneOrderOnlyAndRejectsAMissingOrMalformedOrderId() throws Exception {
        String erin = customer("Erin");
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        send(approved(first, erin));
        send(rejected(second, erin, RejectionReason.OUT_OF_STOCK));
        awaitNotifications(first, 1);
        awaitNotifications(second, 1);

        asOps().get("/notifications?orderId=" + first).then().statusCode(200)
                .body("", hasSize(1)).body("[0].orderId", equalTo(first.toString()));
        asOps().get("/notifications?orderId=" + UUID.randomUUID()).then().statusCode(200).body("", hasSize(0));
        asCustomer(erin).get("/notifications?orderId=" + first).then().statusCode(200).body("", hasSize(1));
        asCustomer("someone-else").get("/notifications?orderId=" + first).then().statusCode(200).body("", hasSize(0));
        io.restassured.RestAssured.given().get("/notifications?orderId=" + first).then().statusCode(401);
        io.restassured.RestAssured.given().auth().oauth2(TestTokens.customerWith(erin, c -> c.remove("groups")))
                .get("/notifications?orderId=" + first).then().statusCode(403).contentType("application/problem+json");
        asOps().get("/notifications").then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400));
        asOps().get("/notifications?orderId=not-a-uuid").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void streamsTheCustomersNotificationsRecordedAfterSubscribing() throws Exception {
        String frank = customer("Frank");
        UUID someoneElses = UUID.randomUUID();
        UUID franks = UUID.randomUUID();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        // Frank's own token: the stream shows a customer only their own notifications.
        Client client = ClientBuilder.newClient().register((ClientRequestFilter) request -> request.getHeaders()
                .add("Authorization", "Bearer " + TestTokens.customer(frank)));
        try (SseEventSource source = SseEventSource.target(client.target(stream)).build()) {
            source.register(event -> received.add(event.readData()));
            source.open();
            await().atMost(PATIENCE).until(source::isOpen);

            // Committed (and so published) before Frank's is even sent: Frank's must come first anyway.
            send(approved(someoneElses, customer("Grace")));
            awaitNotifications(someoneElses, 1);
            send(rejected(franks, frank, RejectionReason.OUT_OF_STOCK));

            String data = received.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertThat(data).as("an event within %s", PATIENCE).isNotNull();
            JsonObject notification = new JsonObject(data);
            assertThat(notification.getString("orderId")).isEqualTo(franks.toString());
            assertThat(notification.getString("customerId")).isEqualTo(frank);
            assertThat(notification.getString("outcome")).isEqualTo("REJECTED");
            assertThat(notification.getString("reason")).isEqualTo("OUT_OF_STOCK");
            assertThat(notification.getString("subject")).contains("could not be completed");
        } finally {
            client.close();
        }
    }

    @Test
    void retriesAFailedSendAndLeavesNoRowOrEventOfTheFailedAttempt() throws Exception {
        FailingEmailSender smtp = new FailingEmailSender(mailer, 1);
        QuarkusMock.installMockForType(smtp, EmailSender.class);
        String heidi = customer("Heidi");
        UUID order = UUID.randomUUID();

        send(approved(order, heidi));
        awaitNotifications(order, 1);

        // Had the failed attempt kept its row, the retry would have found it and sent nothing.
        assertThat(smtp.attempts()).isEqualTo(2);
        assertThat(mailbox.getMailsSentTo(address(heidi))).hasSize(1);
        assertThat(events(order)).hasSize(1);
    }

    private static String customer(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String address(String customer) {
        return customer.toLowerCase(Locale.ROOT) + "@customers.shopflow.local";
    }

    private static OrderApproved approved(UUID order, String customer) {
        return OrderApproved.newBuilder().setMetadata(meta(order)).setOrderId(order).setCustomerId(customer)
                .setTotalCents(1200).build();
    }

    private static OrderRejected rejected(UUID order, String customer, RejectionReason reason) {
        return OrderRejected.newBuilder().setMetadata(meta(order)).setOrderId(order).setCustomerId(customer)
                .setReason(reason).build();
    }

    private static MessageMetadata meta(UUID order) {
        return Metadata.newMessage(order.toString(), null, Instant.now());
    }

    private static void send(SpecificRecord event) throws Exception {
        UUID order = (UUID) event.get(event.getSchema().getField("orderId").pos());
        producer.send(new ProducerRecord<>(Topics.ORDER_EVENTS, order.toString(),
                SERDE.serialize(Topics.ORDER_EVENTS, event))).get(10, TimeUnit.SECONDS);
    }

    private static void awaitNotifications(UUID order, int count) {
        await().atMost(PATIENCE).until(() -> notifications(order) >= count);
    }

    private static void awaitProcessed(MessageMetadata message) {
        await().atMost(PATIENCE).until(() -> count("SELECT count(*) FROM inbox WHERE message_id = ? "
                + "AND consumer = 'notification-service'", message.getMessageId()) == 1);
    }

    private static int notifications(UUID order) throws Exception {
        return count("SELECT count(*) FROM notification WHERE order_id = ?", order);
    }

    private static int count(String sql, UUID id) throws Exception {
        try (Connection c = PostgresServer.shared().connect(DATABASE); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static List<CustomerNotified> events(UUID order) throws Exception {
        List<CustomerNotified> found = new ArrayList<>();
        try (Connection c = PostgresServer.shared().connect(DATABASE);
             PreparedStatement ps = c.prepareStatement("SELECT payload FROM outbox WHERE aggregate_id = ? "
                     + "AND message_type = 'CustomerNotified' ORDER BY position")) {
            ps.setString(1, order.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add((CustomerNotified) SERDE.deserialize(Topics.NOTIFICATION_EVENTS, rs.getBytes(1)));
                }
            }
        }
        return found;
    }
}
