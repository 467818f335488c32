package io.shopflow.order;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.MessageHeaders;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.contracts.serde.SerdeConfig;
import io.shopflow.relay.Relay;
import io.shopflow.relay.RelaySettings;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.KafkaResource;
import io.shopflow.testing.PostgresResource;
import io.shopflow.testing.PostgresServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.shopflow.testing.TestTokens.asOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * End to end through real infrastructure: POST /orders commits the order and its outbox row, the
 * CDC relay (reading pgoutput from its replication slot on the same PostgreSQL) publishes the row,
 * and a plain Kafka consumer reads {@code OrderPlaced} from the order events topic, keyed by the
 * order id and in the caller's trace.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class,
        initArgs = @ResourceArg(name = "database", value = OrderDatabaseFixture.DATABASE))
@QuarkusTestResource(KafkaResource.class)
class OrderPlacedReachesKafkaTest {

    private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

    @BeforeEach
    void clean() throws Exception {
        OrderDatabaseFixture.clean();
    }

    @Test
    void aPlacedOrderReachesKafkaAsOrderPlacedKeyedByItsIdAndInTheCallersTrace() throws Exception {
        RelaySettings settings = RelaySettings.defaults(RelaySettings.Mode.CDC,
                KafkaBroker.shared().connection(KafkaAccess.RELAY),
                new RelaySettings.Source("order_e2e", PostgresServer.shared().jdbcUrl(OrderDatabaseFixture.DATABASE),
                        PostgresServer.RELAY_ROLE, PostgresServer.PASSWORD));

        try (Relay relay = Relay.start(settings, new SimpleMeterRegistry());
             KafkaConsumer<String, byte[]> consumer = consumer()) {
            await().atMost(Duration.ofSeconds(90)).until(relay::isStreaming);

            String orderId = asOps().contentType(ContentType.JSON)
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .header("traceparent", "00-" + TRACE_ID + "-b7ad6b7169203331-01")
                    .body("{\"customerId\":\"carol\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2},"
                            + "{\"sku\":\"SKU-7\",\"quantity\":1}]}")
                    .post("/orders")
                    .then().statusCode(202).extract().path("orderId");

            ConsumerRecord<String, byte[]> record = await().atMost(Duration.ofSeconds(60))
                    .until(() -> poll(consumer, orderId), Optional::isPresent).orElseThrow();

            assertThat(record.key()).isEqualTo(orderId);
            OrderPlaced placed = (OrderPlaced) MessageSerde.fromConfig(Map.of(SerdeConfig.MODE, "catalog"))
                    .deserialize(record.topic(), record.value());
            assertThat(placed.getOrderId()).hasToString(orderId);
            assertThat(placed.getCustomerId()).isEqualTo("carol");
            assertThat(placed.getItems()).extracting(OrderLine::getSku, OrderLine::getQuantity)
                    .containsExactly(tuple("SKU-1", 2),
                            tuple("SKU-7", 1));
            assertThat(placed.getMetadata().getCorrelationId()).isEqualTo(orderId);
            assertThat(header(record, MessageHeaders.MESSAGE_ID))
                    .isEqualTo(placed.getMetadata().getMessageId().toString());
            assertThat(header(record, MessageHeaders.MESSAGE_TYPE)).isEqualTo("OrderPlaced");
            assertThat(header(record, MessageHeaders.TRACEPARENT))
                    .as("the request's trace continues in the message")
                    .matches("00-" + TRACE_ID + "-[0-9a-f]{16}-01");
        }
    }

    private KafkaConsumer<String, byte[]> consumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaBroker.shared().connection().clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "order-e2e-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.ORDER_EVENTS));
        return consumer;
    }

    private static Optional<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer, String key) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
            if (key.equals(record.key())) {
                return Optional.of(record);
            }
        }
        return Optional.empty();
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
