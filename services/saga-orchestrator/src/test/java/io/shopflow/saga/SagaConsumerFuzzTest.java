package io.shopflow.saga;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.ConsumerFuzzSuite;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.ServiceMessages;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Issue 14's fuzz test for the orchestrator's consumers ({@link ConsumerFuzzSuite}): a good OrderPlaced
 * starts a saga; a good StockReserved or PaymentAuthorized is the reply its saga (started beforehand)
 * awaits, and moves it on.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "sagas"))
@QuarkusTestResource(KafkaResource.class)
class SagaConsumerFuzzTest extends ConsumerFuzzSuite {

    private static ServiceMessages messages;

    @BeforeAll
    static void connect() {
        messages = new ServiceMessages("sagas");
    }

    @AfterAll
    static void disconnect() {
        messages.close();
    }

    @Override
    protected String database() {
        return "sagas";
    }

    @Override
    protected KafkaAccess.Service service() {
        return KafkaAccess.SAGA;
    }

    @Override
    protected SpecificRecord goodMessage(String topic) {
        UUID order = UUID.randomUUID();
        OrderPlaced placed = OrderPlaced.newBuilder().setMetadata(meta(order)).setOrderId(order)
                .setCustomerId("fuzz").setItems(List.of(new OrderLine("SKU-1", 1))).build();
        if (topic.equals(Topics.ORDER_EVENTS)) {
            return placed;
        }
        messages.send(Topics.ORDER_EVENTS, placed);
        messages.awaitSent(order, ReserveStock.class, 1);
        StockReserved reserved = StockReserved.newBuilder().setMetadata(meta(order)).setOrderId(order)
                .setLines(List.of()).setTotalCents(100).build();
        if (topic.equals(Topics.INVENTORY_EVENTS)) {
            return reserved;
        }
        messages.send(Topics.INVENTORY_EVENTS, reserved);
        messages.awaitSent(order, AuthorizePayment.class, 1);
        return PaymentAuthorized.newBuilder().setMetadata(meta(order)).setOrderId(order).setAuthorizationId("fuzz")
                .setAmountCents(100).build();
    }

    @Override
    protected void assertApplied(List<SpecificRecord> processed) {
        for (SpecificRecord message : processed) {
            if (message instanceof OrderPlaced m) {
                messages.awaitSent(m.getOrderId(), ReserveStock.class, 1);
            } else if (message instanceof StockReserved m) {
                messages.awaitSent(m.getOrderId(), AuthorizePayment.class, 1);
            } else {
                messages.awaitSent(((PaymentAuthorized) message).getOrderId(), ApproveOrder.class, 1);
            }
        }
    }

    private static io.shopflow.contracts.common.MessageMetadata meta(UUID order) {
        return Metadata.newMessage(order.toString(), null, Instant.now());
    }
}
