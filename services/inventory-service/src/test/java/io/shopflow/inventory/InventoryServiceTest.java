package io.shopflow.inventory;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.shopflow.contracts.MessageHeaders;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.inventory.ReleaseStock;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.contracts.inventory.StockReservationFailed;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.inventory.application.ReservationReplies;
import io.shopflow.inventory.application.Reservations;
import io.shopflow.inventory.domain.RequestedLine;
import io.shopflow.inventory.domain.Reservation;
import io.shopflow.inventory.domain.StockItem;
import io.shopflow.inventory.domain.ReservationOutcome;
import io.shopflow.messaging.DeadLetter;
import io.shopflow.messaging.DeadLetters;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.outbox.UnitsOfWork;
import io.shopflow.testing.BadTokens;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import io.shopflow.testing.ServiceMessages;
import io.shopflow.testing.TestTokens;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.shopflow.testing.TestTokens.asCustomer;
import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** inventory-service on real PostgreSQL and Kafka: commands in from Kafka, replies read from its outbox. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
@QuarkusTestResource(KafkaResource.class)
class InventoryServiceTest {

    /** For the use case called directly, without a command to answer. */
    private static final ReservationReplies NO_REPLIES = new ReservationReplies() {
        @Override
        public Uni<Void> reservation(UnitOfWork work, UUID orderId, ReservationOutcome outcome) {
            return Uni.createFrom().voidItem();
        }

        @Override
        public Uni<Void> released(UnitOfWork work, Reservation released) {
            return Uni.createFrom().voidItem();
        }
    };

    private static ServiceMessages messages;

    @Inject
    UnitsOfWork units;

    @Inject
    Reservations reservations;

    @BeforeAll
    static void connect() {
        messages = new ServiceMessages("inventory");
    }

    @AfterAll
    static void disconnect() {
        messages.close();
    }

    @Test
    void reservesAllLinesPricedAndAnswersARepeatedCommandWithoutReservingTwice() throws Exception {
        String apple = sku("APPLE");
        String pear = sku("PEAR");
        stock(apple, 5, 100);
        stock(pear, 1, 300);
        UUID order = UUID.randomUUID();

        send(reserve(order, apple, 2, pear, 1));
        StockReserved reserved = await(order, StockReserved.class, 1).get(0);
        assertThat(reserved.getTotalCents()).isEqualTo(500);
        asOps().get("/stock/" + apple).then().statusCode(200)
                .body("available", equalTo(3)).body("reserved", equalTo(2)).body("priceCents", equalTo(100));

        ReserveStock resent = reserve(order, apple, 2, pear, 1);
        send(resent);
        send(resent);
        await(order, StockReserved.class, 2);
        sleep(500);
        assertThat(replies(order, StockReserved.class)).hasSize(2);
        asOps().get("/stock/" + apple).then().body("available", equalTo(3)).body("reserved", equalTo(2));
    }

    @Test
    void refusesTheWholeOrderWhenOneLineIsShortAndReleasesOnCompensation() {
        String kiwi = sku("KIWI");
        String plum = sku("PLUM");
        stock(kiwi, 5, 10);
        stock(plum, 1, 10);
        UUID short_ = UUID.randomUUID();

        send(reserve(short_, kiwi, 1, plum, 2));
        StockReservationFailed failed = await(short_, StockReservationFailed.class, 1).get(0);
        assertThat(failed.getShortSkus()).containsExactly(plum);
        asOps().get("/stock/" + kiwi).then().body("available", equalTo(5)).body("reserved", equalTo(0));
        stock(plum, 10, 10);
        send(reserve(short_, kiwi, 1, plum, 2));
        await(short_, StockReservationFailed.class, 2);
        asOps().get("/stock/" + plum).then().body("available", equalTo(10)).body("reserved", equalTo(0));

        UUID order = UUID.randomUUID();
        send(reserve(order, kiwi, 2, plum, 1));
        await(order, StockReserved.class, 1);
        send(ReleaseStock.newBuilder().setMetadata(meta(order)).setOrderId(order).build());
        await(order, io.shopflow.contracts.inventory.StockReleased.class, 1);
        asOps().get("/stock/" + kiwi).then().body("available", equalTo(5)).body("reserved", equalTo(0));
        asOps().get("/stock/" + plum).then().body("available", equalTo(10)).body("reserved", equalTo(0));
    }

    @Test
    void concurrentReservationsOfOneSkuNeverOversell() throws Exception {
        String scarce = sku("SCARCE");
        stock(scarce, 10, 50);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<ReservationOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            outcomes.add(pool.submit(reserve(UUID.randomUUID(), scarce, 1)));
        }
        int reserved = 0;
        for (Future<ReservationOutcome> f : outcomes) {
            if (f.get(60, TimeUnit.SECONDS) instanceof ReservationOutcome.Reserved) {
                reserved++;
            }
        }
        pool.shutdown();

        assertThat(reserved).isEqualTo(10);
        asOps().get("/stock/" + scarce).then().body("available", equalTo(0)).body("reserved", equalTo(10));
    }

    @Test
    void aReserveStockAndTheSagasResendProcessedAtOnceReserveOnce() throws Exception {
        String melon = sku("MELON");
        stock(melon, 10, 70);
        UUID order = UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<ReservationOutcome>> outcomes = new ArrayList<>();
        // A command from the retry topic and its resend from the command topic, each in its own transaction
        // (platform/messaging README), held up together by a lock on the SKU's stock row.
        try (Connection stockHolder = PostgresServer.shared().connect("inventory")) {
            stockHolder.setAutoCommit(false);
            try (Statement lock = stockHolder.createStatement()) {
                lock.execute("SELECT * FROM stock WHERE sku = '" + melon + "' FOR UPDATE");
            }
            for (int i = 0; i < 2; i++) {
                outcomes.add(pool.submit(reserve(order, melon, 3)));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> waitingOnLocks(stockHolder) == 2);
            stockHolder.commit();
        }
        for (Future<ReservationOutcome> outcome : outcomes) {
            assertThat(outcome.get(30, TimeUnit.SECONDS)).isInstanceOf(ReservationOutcome.Reserved.class);
        }
        pool.shutdown();

        asOps().get("/stock/" + melon).then().body("available", equalTo(7)).body("reserved", equalTo(3));
    }

    @Test
    void deadLettersAPoisonCommandAndProcessesTheNextOne() {
        String fig = sku("FIG");
        stock(fig, 3, 10);
        String poisonKey = UUID.randomUUID().toString();
        messages.sendRaw(Topics.INVENTORY_COMMANDS, poisonKey, "not avro".getBytes());
        UUID order = UUID.randomUUID();
        send(reserve(order, fig, 1, fig, 1));

        await(order, StockReserved.class, 1);
        awaitDeadLetter(d -> poisonKey.equals(d.key()));
        // The ops endpoint finds the dead-letter topic through the service's consumer binding.
        asOps().get("/ops/dead-letters?limit=1000").then().statusCode(200)
                .body("findAll { it.letter.key == '" + poisonKey + "' }.deadLetterTopic",
                        contains("shopflow.inventory-service.dlq"));
    }

    @Test
    void deadLettersAMessageOfATypeItsTopicDoesNotCarryAndProcessesTheNextOne() {
        String kiwi = sku("KIWI");
        stock(kiwi, 3, 10);
        // Well-formed, but the inventory commands topic carries no payment command: it was ignored and
        // recorded as processed, instead of dead-lettered.
        UUID stray = UUID.randomUUID();
        send(io.shopflow.contracts.payment.VoidPayment.newBuilder().setMetadata(meta(stray)).setOrderId(stray).build());
        UUID order = UUID.randomUUID();
        send(reserve(order, kiwi, 1, kiwi, 1));

        await(order, StockReserved.class, 1);
        awaitDeadLetter(d -> stray.toString().equals(d.key())
                && d.reason().equals("VoidPayment is not a message of " + Topics.INVENTORY_COMMANDS));
    }

    @Test
    void replaysADeadLetterOnlyOfTheGroupsOwnTopicsAndAnswersAProblemOtherwise() throws Exception {
        String deadLetters = "shopflow.inventory-service.dlq";
        asOps().post("/ops/dead-letters/" + deadLetters + "/0/-1/replay").then().statusCode(400)
                .contentType("application/problem+json");
        // Whoever can produce to the dead-letter topic can name any topic in the header: another service's commands.
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageHeaders.ORIGINAL_TOPIC, Topics.ORDER_COMMANDS.getBytes(StandardCharsets.UTF_8));
        long forged = deadLetter("forged", "x".getBytes(StandardCharsets.UTF_8), headers);

        asOps().post("/ops/dead-letters/" + deadLetters + "/0/" + forged + "/replay").then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", containsString("which is not one this consumer group reads"));
        asOps().get("/q/metrics").then().body(containsString(
                "shopflow_dead_letter_replays_total{group=\"inventory-service\",outcome=\"refused\"}"));
    }

    @Test
    void replaysADeadLetterThroughItsOwnRetryTopicAsItsOwnPrincipalAndAppliesIt() throws Exception {
        // The service may write no topic but its retry and dead-letter topics (ADR 14): a replay onto
        // shopflow.inventory.commands.v1 would be refused by the broker, through the retry topic it is not.
        String mango = sku("MANGO");
        String papaya = sku("PAPAYA");
        stock(mango, 3, 10);
        stock(papaya, 3, 10);
        UUID order = UUID.randomUUID();
        Map.Entry<String, byte[]> command = messages.encoded(Topics.INVENTORY_COMMANDS,
                reserve(order, mango, 1, papaya, 2));
        RecordHeaders headers = new RecordHeaders();
        headers.add(MessageHeaders.ORIGINAL_TOPIC, Topics.INVENTORY_COMMANDS.getBytes(StandardCharsets.UTF_8));
        headers.add(MessageHeaders.FAILURE_REASON, "database unavailable".getBytes(StandardCharsets.UTF_8));
        long offset = deadLetter(command.getKey(), command.getValue(), headers);

        asOps().post("/ops/dead-letters/shopflow.inventory-service.dlq/0/" + offset + "/replay").then().statusCode(202);

        await(order, StockReserved.class, 1);
        asOps().get("/stock/" + mango).then().body("reserved", equalTo(1));
        asOps().get("/stock/" + papaya).then().body("reserved", equalTo(2));
    }

    @Test
    void deadLettersACommandOlderThanTheInboxWindowWithTheReasonAndAppliesNothing() {
        String lime = sku("LIME");
        stock(lime, 3, 10);
        UUID late = UUID.randomUUID();
        // A copy of a command from nine days ago: its inbox row (the inbox keeps 8 days) may be gone.
        ReserveStock old = reserve(late, lime, 1, lime, 1);
        old.setMetadata(Metadata.newMessage(late.toString(), null, Instant.now().minus(Duration.ofDays(9))));
        send(old);
        UUID order = UUID.randomUUID();
        send(reserve(order, lime, 1, lime, 1));

        await(order, StockReserved.class, 1);
        awaitDeadLetter(d -> late.toString().equals(d.key())
                && d.reason().contains("longer ago than the inbox remembers"));
        assertThat(replies(late, StockReserved.class)).isEmpty();
        asOps().get("/stock/" + lime).then().body("available", equalTo(1)).body("reserved", equalTo(2));
    }

    @Test
    void aPoisonCommandAmongOthersInOneBatchNeitherUndoesNorRepeatsTheirReservations() {
        String date = sku("DATE");
        stock(date, 100, 10);
        String poisonKey = UUID.randomUUID().toString();
        List<UUID> orders = new ArrayList<>();
        List<Map.Entry<String, byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            UUID order = UUID.randomUUID();
            orders.add(order);
            records.add(messages.encoded(Topics.INVENTORY_COMMANDS, reserve(order, date, 1, date, 1)));
            if (i == 9) {
                records.add(Map.entry(poisonKey, "not avro".getBytes()));
            }
        }
        double splitsBefore = batchSplits();

        messages.sendAllRaw(Topics.INVENTORY_COMMANDS, records);

        orders.forEach(order -> await(order, StockReserved.class, 1));
        awaitDeadLetter(d -> poisonKey.equals(d.key()));
        sleep(500);
        orders.forEach(order -> assertThat(replies(order, StockReserved.class)).as("replies to %s", order).hasSize(1));
        asOps().get("/stock/" + date).then().body("available", equalTo(60)).body("reserved", equalTo(40));
        assertThat(batchSplits()).as("the poison's batch was split, and only that one").isEqualTo(splitsBefore + 1);
    }

    @Test
    void refusesASkuOutsideItsCharacterSetAsAProblem() {
        // A NUL cannot go into a PostgreSQL text column: it was a 500.
        asOps().contentType(ContentType.JSON).body("{\"available\":1,\"priceCents\":1}").put("/stock/BAD%00SKU")
                .then().statusCode(400).contentType("application/problem+json");
        asOps().contentType(ContentType.JSON).body("{\"available\":1,\"priceCents\":1}").put("/stock/BAD%20SKU")
                .then().statusCode(400).contentType("application/problem+json");
        asOps().urlEncodingEnabled(false).get("/stock/BAD%00SKU").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void requiresATokenAndTheOpsGroupToChangeStock() {
        // Every way a token can be missing or wrong: a 401 problem with the bearer challenge, not an empty 401.
        List.of(io.restassured.RestAssured.given(),
                io.restassured.RestAssured.given().auth().oauth2("not.a.token"),
                io.restassured.RestAssured.given().auth().oauth2(BadTokens.expired("ops-test")),
                io.restassured.RestAssured.given().auth().oauth2(BadTokens.wrongKey("ops-test")),
                io.restassured.RestAssured.given().auth().oauth2(BadTokens.wrongIssuer("ops-test")),
                io.restassured.RestAssured.given().auth().oauth2(BadTokens.unsigned("ops-test")))
                .forEach(request -> request.get("/stock/ANY").then().statusCode(401)
                        .contentType("application/problem+json").header("WWW-Authenticate", startsWith("Bearer"))
                        .body("status", equalTo(401)).body("title", equalTo("Unauthorized")));
        // A role the resource needs: a problem document, as every other error is.
        asCustomer("alice").contentType(ContentType.JSON).body("{\"available\":1,\"priceCents\":1}")
                .put("/stock/" + sku("MINE")).then().statusCode(403).contentType("application/problem+json");
        asCustomer("alice").get("/stock/" + sku("ANY")).then().statusCode(404);
        // Neither a customer's nor an operator's token: no group, no stock.
        io.restassured.RestAssured.given().auth().oauth2(TestTokens.customerWith("alice", c -> c.remove("groups")))
                .get("/stock/" + sku("ANY")).then().statusCode(403).contentType("application/problem+json");
        io.restassured.RestAssured.given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void describesABodyOfTheWrongShapeForTheClientWithoutJavaTypes() {
        asOps().contentType(ContentType.JSON).body("{\"available\":\"many\",\"priceCents\":5}").put("/stock/X")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("available must be a whole number"))
                .body("violations[0].field", equalTo("available"))
                .body("detail", not(containsString("java")));
        asOps().contentType(ContentType.JSON).body("{\"available\":99999999999,\"priceCents\":5}").put("/stock/X")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("available is out of range")).body("detail", not(containsString("java")));
        asOps().contentType(ContentType.JSON).body("{\"available\":1,").put("/stock/X")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", startsWith("The body is not valid JSON (line 1"));
        asOps().contentType(ContentType.JSON).body("[1]").put("/stock/X")
                .then().statusCode(400).body("detail", startsWith("The body must be an object"));
        asOps().contentType(ContentType.JSON).body("[".repeat(5000) + "]".repeat(5000)).put("/stock/X")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", not(containsString("StreamReadConstraints")));
    }

    @Test
    void refusesAPriceAboveTheLimitNamingTheField() {
        String sku = sku("DEAR");
        asOps().contentType(ContentType.JSON).body("{\"available\":1,\"priceCents\":" + Long.MAX_VALUE + "}")
                .put("/stock/" + sku).then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("priceCents"));
        asOps().contentType(ContentType.JSON)
                .body("{\"available\":1,\"priceCents\":" + (StockItem.MAX_PRICE_CENTS + 1) + "}")
                .put("/stock/" + sku).then().statusCode(400);
        asOps().get("/stock/" + sku).then().statusCode(404);
        asOps().contentType(ContentType.JSON).body("{\"available\":1,\"priceCents\":" + StockItem.MAX_PRICE_CENTS + "}")
                .put("/stock/" + sku).then().statusCode(200);
    }

    @Test
    void validatesStockUpdatesAndAnswers404ForUnknownSkus() {
        asOps().contentType(ContentType.JSON).body("{\"available\":-1,\"priceCents\":5}").put("/stock/X")
                .then().statusCode(400).contentType("application/problem+json");
        asOps().get("/stock/" + sku("NONE")).then().statusCode(404).contentType("application/problem+json");
    }

    private static String sku(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static double batchSplits() {
        String metrics = asOps().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("shopflow_consumer_batch_splits_total{group=\"inventory-service\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** The use case called directly, in a transaction of its own, for {@code quantity} of {@code sku}. */
    private Callable<ReservationOutcome> reserve(UUID order, String sku, int quantity) {
        return () -> {
            try {
                return VertxContextSupport.subscribeAndAwait(() -> units.inTransaction(
                        work -> reservations.reserve(work, order, List.of(new RequestedLine(sku, quantity)), NO_REPLIES)));
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        };
    }

    /** How many transactions of the inventory database wait for a lock, as {@code holder} sees it. */
    private static int waitingOnLocks(Connection holder) throws SQLException {
        try (Statement query = holder.createStatement(); ResultSet rs = query.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = 'inventory' AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void stock(String sku, int available, long priceCents) {
        asOps().contentType(ContentType.JSON).body("{\"available\":" + available + ",\"priceCents\":" + priceCents + "}")
                .put("/stock/" + sku).then().statusCode(200);
    }

    private static ReserveStock reserve(UUID order, String sku1, int q1, String sku2, int q2) {
        return ReserveStock.newBuilder().setMetadata(meta(order)).setOrderId(order)
                .setItems(List.of(new OrderLine(sku1, q1), new OrderLine(sku2, q2))).build();
    }

    private static MessageMetadata meta(UUID order) {
        return Metadata.newMessage(order.toString(), null, Instant.now());
    }

    /** Puts a record into partition 0 of the service's dead-letter topic, as its consumer would; its offset. */
    private static long deadLetter(String key, byte[] value, RecordHeaders headers) throws Exception {
        try (KafkaProducer<String, byte[]> producer = KafkaBroker.shared().producer()) {
            return producer.send(new ProducerRecord<>("shopflow.inventory-service.dlq", 0, key, value, headers))
                    .get(10, TimeUnit.SECONDS).offset();
        }
    }

    /** Waits until the service's dead-letter topic holds a record that {@code letter} matches. */
    private static void awaitDeadLetter(Predicate<DeadLetter> letter) {
        DeadLetters deadLetters = new DeadLetters(KafkaBroker.shared().connection(),
                "shopflow.inventory-service.dlq");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> deadLetters.list(1000).stream().anyMatch(letter));
    }

    private static void send(SpecificRecord command) {
        messages.send(Topics.INVENTORY_COMMANDS, command);
    }

    private static <T extends SpecificRecord> List<T> await(UUID order, Class<T> type, int count) {
        return messages.awaitSent(order, type, count);
    }

    private static <T extends SpecificRecord> List<T> replies(UUID order, Class<T> type) {
        return messages.sent(order, type);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
