package io.shopflow.contracts.serde;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.order.OrderPlaced;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code apicurio} serde mode against a real Apicurio Registry (the image compose runs):
 * schemas are registered on first use and a message written by one serde instance is read by
 * another, as two services would. Needs a Docker engine; skipped, and reported as skipped,
 * where none runs ({@link ApicurioSerdeAgainstStubRegistryTest} covers the protocol there).
 */
@Testcontainers(disabledWithoutDocker = true)
class ApicurioSerdeAgainstRegistryIT {

    @Container
    static final GenericContainer<?> REGISTRY = new GenericContainer<>("apicurio/apicurio-registry:3.1.7")
            .withExposedPorts(8080)
            .waitingFor(Wait.forHttp("/health/ready").forPort(8080).withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    void aMessageWrittenByOneServiceIsReadByAnotherThroughTheRegistry() {
        String url = "http://" + REGISTRY.getHost() + ":" + REGISTRY.getMappedPort(8080) + "/apis/registry/v3";
        OrderPlaced placed = CatalogSerdeTest.orderPlaced();

        byte[] bytes = MessageSerde.fromConfig(Map.of(SerdeConfig.MODE, "apicurio", SerdeConfig.REGISTRY_URL, url))
                .serialize(Topics.ORDER_EVENTS, placed);
        SpecificRecord decoded = MessageSerde.fromConfig(Map.of(SerdeConfig.MODE, "apicurio",
                SerdeConfig.REGISTRY_URL, url)).deserialize(Topics.ORDER_EVENTS, bytes);

        assertThat(decoded).isInstanceOf(OrderPlaced.class).isEqualTo(placed);
    }
}
