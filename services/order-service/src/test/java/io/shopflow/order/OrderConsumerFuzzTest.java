package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.messaging.FailureHeaders;
import io.shopflow.messaging.cdi.ConsumerBindings;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.ConsumerFuzzSuite;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.ServiceMessages;
import jakarta.inject.Inject;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.shopflow.testing.TestTokens.asOps;

/** Issue 14's fuzz test for order-service's consumers ({@link ConsumerFuzzSuite}): good records approve placed orders. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = OrderDatabaseFixture.DATABASE))
@QuarkusTestResource(KafkaResource.class)
class OrderConsumerFuzzTest extends ConsumerFuzzSuite {

    @Inject
    ConsumerBindings bindings;

    @Override
    protected String database() {
        return OrderDatabaseFixture.DATABASE;
    }

    @Override
    protected List<Consumer> consumers() {
        return bindings.settings().stream().map(s -> new Consumer(s.groupId(), s.topics(), s.retryTopic(),
                s.deadLetterTopic(), new DeadLetterHeaders(FailureHeaders.REASON, FailureHeaders.ORIGINAL_TOPIC,
                        FailureHeaders.ORIGINAL_OFFSET))).toList();
    }

    /** An ApproveOrder of an order placed for it. */
    @Override
    protected SpecificRecord goodMessage(String topic) {
        String id = asOps().contentType(ContentType.JSON).header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"customerId\":\"fuzz\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":1}]}")
                .post("/orders").then().statusCode(202).extract().path("orderId");
        UUID order = UUID.fromString(id);
        return ApproveOrder.newBuilder().setMetadata(Metadata.newMessage(order.toString(), null, Instant.now()))
                .setOrderId(order).setTotalCents(100).build();
    }

    @Override
    protected void assertApplied(List<SpecificRecord> processed) {
        try (ServiceMessages messages = new ServiceMessages(database())) {
            processed.forEach(m -> messages.awaitSent(((ApproveOrder) m).getOrderId(), OrderApproved.class, 1));
        }
    }
}
