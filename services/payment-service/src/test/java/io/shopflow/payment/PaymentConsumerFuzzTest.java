package io.shopflow.payment;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.payment.PaymentVoided;
import io.shopflow.contracts.payment.VoidPayment;
import io.shopflow.outbox.Metadata;
import io.shopflow.testing.ConsumerFuzzSuite;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.ServiceMessages;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Issue 14's fuzz test for payment-service's consumers ({@link ConsumerFuzzSuite}): good records void
 * payments (of orders never authorized, so that the provider's behaviour plays no part).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "database", value = "payments"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(ProviderSimulatorResource.class)
class PaymentConsumerFuzzTest extends ConsumerFuzzSuite {

    @Override
    protected String database() {
        return "payments";
    }

    @Override
    protected KafkaAccess.Service service() {
        return KafkaAccess.PAYMENT;
    }

    @Override
    protected SpecificRecord goodMessage(String topic) {
        UUID order = UUID.randomUUID();
        return VoidPayment.newBuilder().setMetadata(Metadata.newMessage(order.toString(), null, Instant.now()))
                .setOrderId(order).build();
    }

    @Override
    protected void assertApplied(List<SpecificRecord> processed) {
        try (ServiceMessages messages = new ServiceMessages(database())) {
            processed.forEach(m -> messages.awaitSent(((VoidPayment) m).getOrderId(), PaymentVoided.class, 1));
        }
    }
}
