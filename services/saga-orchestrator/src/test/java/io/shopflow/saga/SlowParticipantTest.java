package io.shopflow.saga;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
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
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.ServiceMessages;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The orchestrator in front of a participant that is slow, not gone (ADR 8): inventory works
 * through its queue one command at a time for several step timeouts (1 s in tests), committing as
 * it goes. Deadlines pass while the commands wait in that healthy queue; none is resent and no
 * order is rejected with TIMEOUT. A participant that holds its group membership but stops making
 * progress is not a queue: its sagas are resent and compensated.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "sagas"))
@QuarkusTestResource(KafkaResource.class)
class SlowParticipantTest {

    /** Twelve commands at 500 ms each: the last ones wait about six step timeouts. */
    private static final Duration INVENTORY_SERVICE_TIME = Duration.ofMillis(500);
    private static final int ORDERS = 6;
    /** Commands already queued at inventory when the orders are placed (for orders without a saga). */
    private static final int QUEUED_AHEAD = 6;

    private static ServiceMessages messages;
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
    void aParticipantSlowerThanTheStepTimeoutDelaysSagasWithoutResendsOrTimeouts() throws InterruptedException {
        List<UUID> orders = newOrderIds(ORDERS);
        List<UUID> ahead = newOrderIds(QUEUED_AHEAD);
        Set<String> keys = Stream.concat(orders.stream(), ahead.stream()).map(UUID::toString)
                .collect(Collectors.toSet());

        try (Participant inventory = Participant.start("inventory-service", Topics.INVENTORY_COMMANDS,
                Topics.INVENTORY_EVENTS, INVENTORY_SERVICE_TIME, keys, SlowParticipantTest::answer, messages);
             Participant payment = Participant.start("payment-service", Topics.PAYMENT_COMMANDS,
                     Topics.PAYMENT_EVENTS, Duration.ZERO, keys, SlowParticipantTest::answer, messages);
             Participant orderService = Participant.start("order-service", Topics.ORDER_COMMANDS,
                     Topics.ORDER_EVENTS, Duration.ZERO, keys, SlowParticipantTest::answer, messages)) {
            ahead.forEach(o -> messages.send(Topics.INVENTORY_COMMANDS, ReserveStock.newBuilder().setMetadata(meta(o))
                    .setOrderId(o).setItems(List.of(new OrderLine("SKU-1", 1))).build()));
            orders.forEach(o -> messages.send(Topics.ORDER_EVENTS, placed(o)));

            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> orders.stream().allMatch(SlowParticipantTest::isFinal));

            for (UUID o : orders) {
                Response saga = saga(o);
                assertThat(saga.<String>path("state")).as("saga of %s", o).isEqualTo("APPROVED");
                assertThat(saga.<String>path("rejectionReason")).isNull();
                assertThat(messages.sent(o, ReserveStock.class)).as("ReserveStock sent for %s", o).hasSize(1);
                assertThat(messages.sent(o, AuthorizePayment.class)).as("AuthorizePayment sent for %s", o).hasSize(1);
                assertThat(messages.sent(o, ApproveOrder.class)).as("ApproveOrder sent for %s", o).hasSize(1);
                assertThat(inventory.handled(ReserveStock.class, o.toString())).isEqualTo(1);
                assertThat(payment.handled(AuthorizePayment.class, o.toString())).isEqualTo(1);
                assertThat(orderService.handled(ApproveOrder.class, o.toString())).isEqualTo(1);
            }
            // The queue outlasted step deadlines: they passed and were extended, not resent.
            assertThat(orders).anySatisfy(o -> assertThat(saga(o).<List<String>>path("history.event"))
                    .anyMatch(event -> event.contains("still queued")));
        }
    }

    @Test
    void aParticipantThatStopsMakingProgressIsTreatedAsGoneAndItsSagaCompensates() throws InterruptedException {
        UUID order = UUID.randomUUID();
        // Takes the command and then hangs: still a member of its group, but its offsets stand still.
        try (Participant hung = Participant.start("inventory-service", Topics.INVENTORY_COMMANDS,
                Topics.INVENTORY_EVENTS, Duration.ofMinutes(5), Set.of(order.toString()), SlowParticipantTest::answer,
                messages)) {
            messages.send(Topics.ORDER_EVENTS, placed(order));

            messages.awaitSent(order, ReleaseStock.class, 1);
            assertThat(messages.sent(order, ReserveStock.class)).hasSize(2);
            asOps().get("/sagas/" + order).then().statusCode(200).body("rejectionReason", equalTo("TIMEOUT"));
        }
    }

    /** What the participants answer: every command succeeds. */
    private static SpecificRecord answer(SpecificRecord command) {
        if (command instanceof ReserveStock c) {
            return StockReserved.newBuilder().setMetadata(meta(c.getOrderId())).setOrderId(c.getOrderId())
                    .setLines(List.of()).setTotalCents(2500).build();
        }
        if (command instanceof AuthorizePayment c) {
            return PaymentAuthorized.newBuilder().setMetadata(meta(c.getOrderId())).setOrderId(c.getOrderId())
                    .setAuthorizationId("auth-" + c.getOrderId()).setAmountCents(c.getAmountCents()).build();
        }
        if (command instanceof ApproveOrder c) {
            return OrderApproved.newBuilder().setMetadata(meta(c.getOrderId())).setOrderId(c.getOrderId())
                    .setCustomerId("alice").setTotalCents(c.getTotalCents()).build();
        }
        throw new IllegalArgumentException("a healthy saga sends no " + command.getSchema().getName());
    }

    private static OrderPlaced placed(UUID order) {
        return OrderPlaced.newBuilder().setMetadata(meta(order)).setOrderId(order).setCustomerId("alice")
                .setItems(List.of(new OrderLine("SKU-1", 1))).build();
    }

    private static boolean isFinal(UUID order) {
        String state = saga(order).path("state");
        return "APPROVED".equals(state) || "REJECTED".equals(state);
    }

    private static Response saga(UUID order) {
        return asOps().get("/sagas/" + order);
    }

    private static List<UUID> newOrderIds(int count) {
        return IntStream.range(0, count).mapToObj(i -> UUID.randomUUID()).toList();
    }

    private static io.shopflow.contracts.common.MessageMetadata meta(UUID order) {
        return Metadata.newMessage(order.toString(), null, Instant.now());
    }
}
