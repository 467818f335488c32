package io.shopflow.notification;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.notification.CustomerNotified;
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

/** Issue 14's fuzz test for notification-service's consumers ({@link ConsumerFuzzSuite}): good records notify customers. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "notifications"))
@QuarkusTestResource(KafkaResource.class)
class NotificationConsumerFuzzTest extends ConsumerFuzzSuite {

    @Override
    protected String database() {
        return "notifications";
    }

    @Override
    protected KafkaAccess.Service service() {
        return KafkaAccess.NOTIFICATION;
    }

    @Override
    protected SpecificRecord goodMessage(String topic) {
        UUID order = UUID.randomUUID();
        return OrderApproved.newBuilder().setMetadata(Metadata.newMessage(order.toString(), null, Instant.now()))
                .setOrderId(order).setCustomerId("fuzz").setTotalCents(100).build();
    }

    @Override
    protected void assertApplied(List<SpecificRecord> processed) {
        try (ServiceMessages messages = new ServiceMessages(database())) {
            processed.forEach(m -> messages.awaitSent(((OrderApproved) m).getOrderId(), CustomerNotified.class, 1));
        }
    }
}
