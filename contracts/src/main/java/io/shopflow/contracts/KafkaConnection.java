package io.shopflow.contracts;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How a Kafka client of Shopflow reaches the brokers and who it is there: the bootstrap servers and
 * the standard Kafka security properties ({@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, the {@code ssl.truststore.*} of a TLS listener). Every client (consumers,
 * their failure producers, dead-letter tools, admin probes, the relay's producers) starts from
 * {@link #clientConfig(Map)}, so that none of them can connect without the identity the broker
 * authorizes (ADR 14).
 *
 * <p>It lives in {@code contracts} for the reason {@link Backoff} does: it is the one module both the
 * relay and {@code platform/messaging} build on.
 *
 * @param bootstrapServers {@code host:port[,host:port...]}
 * @param security         client properties by their Kafka name, only those of {@link #SECURITY_KEYS}
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> security) {

    /** Client properties that say how a client authenticates; read from {@code kafka.<key>} by {@link #fromConfig}. */
    public static final List<String> SECURITY_KEYS = List.of("security.protocol", "sasl.mechanism",
            "sasl.jaas.config", "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.password",
            "ssl.endpoint.identification.algorithm");

    /** The SASL mechanism of every Shopflow principal. */
    public static final String SCRAM = "SCRAM-SHA-512";

    public KafkaConnection {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        security = Map.copyOf(security);
        List<String> unknown = security.keySet().stream().filter(k -> !SECURITY_KEYS.contains(k)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Not a Kafka security property: " + unknown + "; expected some of "
                    + SECURITY_KEYS);
        }
    }

    /** {@code principal} with {@code password}, SCRAM-SHA-512 over {@code SASL_PLAINTEXT}. */
    public static KafkaConnection scram(String bootstrapServers, String principal, String password) {
        return new KafkaConnection(bootstrapServers, Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", SCRAM,
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + principal + "\" password=\"" + password + "\";"));
    }

    /**
     * From configuration: the bootstrap servers given, and each of {@link #SECURITY_KEYS} from
     * {@code kafka.<key>} where {@code config} has it. In Quarkus that is also the environment:
     * {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}, ...
     */
    public static KafkaConnection fromConfig(String bootstrapServers, Function<String, Optional<String>> config) {
        Map<String, String> security = new HashMap<>();
        for (String key : SECURITY_KEYS) {
            config.apply("kafka." + key).filter(v -> !v.isBlank()).ifPresent(v -> security.put(key, v));
        }
        return new KafkaConnection(bootstrapServers, security);
    }

    /** The configuration of a client: the bootstrap servers and the security properties, then {@code settings}. */
    public Map<String, Object> clientConfig(Map<String, ?> settings) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.putAll(security);
        config.putAll(settings);
        return config;
    }

    /** The user name of the JAAS configuration, if there is one. */
    public Optional<String> principal() {
        return Optional.ofNullable(security.get("sasl.jaas.config"))
                .map(jaas -> jaas.replaceAll("(?s).*\\busername=\"([^\"]*)\".*", "$1"))
                .filter(name -> !name.equals(security.get("sasl.jaas.config")));
    }

    /** Keeps passwords out of logs. */
    @Override
    public String toString() {
        return "KafkaConnection[bootstrapServers=" + bootstrapServers + ", security.protocol="
                + security.getOrDefault("security.protocol", "PLAINTEXT")
                + principal().map(p -> ", principal=" + p).orElse("") + "]";
    }
}
