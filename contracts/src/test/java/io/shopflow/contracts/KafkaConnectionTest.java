package io.shopflow.contracts;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaConnectionTest {

    @Test
    void readsTheSecurityPropertiesFromKafkaPrefixedConfigurationAndSkipsBlankOnes() {
        Map<String, String> config = Map.of("kafka.security.protocol", "SASL_SSL",
                "kafka.sasl.mechanism", "SCRAM-SHA-512",
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                        + "username=\"payment-service\" password=\"s3cret\";",
                "kafka.ssl.truststore.location", " ",
                "kafka.client.id", "not a security property");

        KafkaConnection kafka = KafkaConnection.fromConfig("kafka:9093", key -> Optional.ofNullable(config.get(key)));

        assertThat(kafka.clientConfig(Map.of("acks", "all"))).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "kafka:9093", "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", config.get("kafka.sasl.jaas.config"), "acks", "all"));
        assertThat(kafka.principal()).contains("payment-service");
    }

    @Test
    void keepsThePasswordOutOfItsText() {
        KafkaConnection kafka = KafkaConnection.scram("localhost:19092", "order-service", "s3cret");

        assertThat(kafka).hasToString("KafkaConnection[bootstrapServers=localhost:19092, security.protocol=SASL_PLAINTEXT, "
                + "principal=order-service]");
        assertThat(new KafkaConnection("localhost:19092", Map.of()).principal()).isEmpty();
    }

    @Test
    void refusesAPropertyThatSaysNothingAboutSecurity() {
        assertThatThrownBy(() -> new KafkaConnection("localhost:19092", Map.of("acks", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("acks");
    }
}
