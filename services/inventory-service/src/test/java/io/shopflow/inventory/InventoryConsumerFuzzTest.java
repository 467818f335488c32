package io.shopflow.inventory;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.ConsumerFuzzSuite;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.ServiceMessages;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeEach;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.shopflow.testing.TestTokens.asOps;

/** Issue 14's fuzz test for inventory-service's consumers ({@link ConsumerFuzzSuite}): good records reserve stock. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
@QuarkusTestResource(KafkaResource.class)
class InventoryConsumerFuzzTest extends ConsumerFuzzSuite {

    private static final String SKU = "FUZZ-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void stock() {
        asOps().contentType(ContentType.JSON).body("{\"available\":1000000,\"priceCents\":1}").put("/stock/" + SKU)
                .then().statusCode(200);
    }

    @Override
    protected String database() {
        return "inventory";
    }

    @Override
    protected KafkaAccess.Service service() {
        return KafkaAccess.INVENTORY;
    }

    @Override
    protected SpecificRecord goodMessage(String topic) {
        UUID order = UUID.randomUUID();
        return ReserveStock.newBuilder().setMetadata(Metadata.newMessage(order.toString(), null, Instant.now()))
                .setOrderId(order).setItems(List.of(new OrderLine(SKU, 1))).build();
    }

    @Override
    protected void assertApplied(List<SpecificRecord> processed) {
        try (ServiceMessages messages = new ServiceMessages(database())) {
            processed.forEach(m -> messages.awaitSent(((ReserveStock) m).getOrderId(), StockReserved.class, 1));
        }
    }
}
