package io.shopflow.contracts.serde;

import org.apache.avro.specific.SpecificRecord;

import java.util.Map;

/**
 * Encodes and decodes Shopflow messages. Two modes, chosen by {@link SerdeConfig#MODE}:
 * {@code catalog} (Avro single-object encoding, writer schema resolved from the schemas in
 * this module; no registry) and {@code apicurio} (Apicurio Registry serdes).
 *
 * <p>Services encode when they write the outbox row; consumers decode what the relay
 * published. Implementations are thread-safe.
 */
public interface MessageSerde {

    /** Encodes {@code message} for {@code topic}. */
    byte[] serialize(String topic, SpecificRecord message);

    /**
     * Decodes bytes written by {@link #serialize} in the same mode into the current
     * generated class of the writer's record type.
     *
     * @throws MessageDecodingException with a typed reason; never returns null
     */
    SpecificRecord deserialize(String topic, byte[] data);

    /** Builds the serde of the mode named in {@code config} (default {@code catalog}). */
    static MessageSerde fromConfig(Map<String, ?> config) {
        return SerdeConfig.create(config);
    }
}
