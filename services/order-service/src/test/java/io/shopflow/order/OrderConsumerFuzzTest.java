package io.shopflow.order;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.ConsumerFuzzSuite;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.ServiceMessages;
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

    @Override
    protected String database() {
        return OrderDatabaseFixture.DATABASE;
    }

    @Override
    protected KafkaAccess.Service service() {
        return KafkaAccess.ORDER;
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
