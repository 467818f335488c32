package io.shopflow.contracts.serde;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.order.OrderPlaced;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Wiring of the {@code apicurio} mode against a STUB registry ({@link StubApicurioRegistry}),
 * not a real Apicurio Registry: it proves the configuration, the endpoints called and the
 * round trip through the Apicurio serdes; the compose and Kubernetes setups run the real one.
 */
class ApicurioSerdeAgainstStubRegistryTest {

    @Test
    void registersSchemasOnFirstUseAndRoundTripsThroughTheStubRegistry() {
        try (StubApicurioRegistry registry = new StubApicurioRegistry()) {
            MessageSerde serde = MessageSerde.fromConfig(Map.of(
                    SerdeConfig.MODE, "apicurio", SerdeConfig.REGISTRY_URL, registry.url()));
            OrderPlaced placed = CatalogSerdeTest.orderPlaced();

            byte[] bytes = serde.serialize(Topics.ORDER_EVENTS, placed);
            SpecificRecord decoded = MessageSerde.fromConfig(Map.of(
                    SerdeConfig.MODE, "apicurio", SerdeConfig.REGISTRY_URL, registry.url()))
                    .deserialize(Topics.ORDER_EVENTS, bytes);

            assertThat(decoded).isInstanceOf(OrderPlaced.class).isEqualTo(placed);
            assertThat(bytes[0]).as("Apicurio magic byte").isEqualTo((byte) 0);
            assertThat(registry.calls())
                    .contains("POST /apis/registry/v3/groups/io.shopflow.contracts.order/artifacts")
                    .anyMatch(c -> c.startsWith("GET /apis/registry/v3/ids/contentIds/"));
        }
    }

    @Test
    void unreadableBytesBecomeATypedRegistryError() {
        try (StubApicurioRegistry registry = new StubApicurioRegistry()) {
            MessageSerde serde = MessageSerde.fromConfig(Map.of(
                    SerdeConfig.MODE, "apicurio", SerdeConfig.REGISTRY_URL, registry.url()));

            assertThatThrownBy(() -> serde.deserialize(Topics.ORDER_EVENTS, new byte[] {0, 0, 0, 0, 99, 1, 2}))
                    .isInstanceOfSatisfying(MessageDecodingException.class,
                            e -> assertThat(e.reason()).isEqualTo(MessageDecodingException.Reason.REGISTRY_ERROR));
        }
    }

    @Test
    void aRegistryThatDoesNotAnswerIsATransientFailureNotADecodingError() {
        byte[] bytes;
        String url;
        try (StubApicurioRegistry registry = new StubApicurioRegistry()) {
            url = registry.url();
            bytes = MessageSerde.fromConfig(Map.of(SerdeConfig.MODE, "apicurio", SerdeConfig.REGISTRY_URL, url))
                    .serialize(Topics.ORDER_EVENTS, CatalogSerdeTest.orderPlaced());
        }
        // The registry restarts: a reader that has not cached the schema yet cannot reach it for a while.
        MessageSerde reader = MessageSerde.fromConfig(Map.of(SerdeConfig.MODE, "apicurio", SerdeConfig.REGISTRY_URL, url));

        assertThatThrownBy(() -> reader.deserialize(Topics.ORDER_EVENTS, bytes))
                .isInstanceOf(RegistryUnavailableException.class)
                .hasMessageContaining(url)
                // Consumers dead-letter at once whatever has a SerializationException among its causes.
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(t).isNotInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
                    }
                });
    }
}
