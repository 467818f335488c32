package io.shopflow.contracts.serde;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.avro.strategy.RecordIdStrategy;
import io.apicurio.registry.serde.config.SerdeConfig;
import org.apache.avro.specific.SpecificRecord;

import java.util.HashMap;
import java.util.Map;

import static io.shopflow.contracts.serde.MessageDecodingException.Reason.REGISTRY_ERROR;

/**
 * The {@code apicurio} mode: the Apicurio Registry Avro serdes against a real registry
 * (compose, Kubernetes). Artifacts are keyed by record name ({@link RecordIdStrategy}),
 * because one topic carries several message types; schemas are registered on first use.
 */
public final class ApicurioSerde implements MessageSerde {

    private final AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
    private final AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();

    /**
     * @param registryUrl e.g. {@code http://apicurio:8080/apis/registry/v3}
     * @param overrides further {@code apicurio.registry.*} settings, applied last
     */
    public ApicurioSerde(String registryUrl, Map<String, ?> overrides) {
        AvroLimits.apply();
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registryUrl);
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, RecordIdStrategy.class.getName());
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        config.putAll(overrides);
        serializer.configure(config, false);
        deserializer.configure(config, false);
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord message) {
        return serializer.serialize(topic, message);
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        try {
            SpecificRecord record = deserializer.deserialize(topic, data);
            if (record == null) {
                throw new MessageDecodingException(REGISTRY_ERROR, "registry serde returned no record", null);
            }
            return record;
        } catch (MessageDecodingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MessageDecodingException(REGISTRY_ERROR, e.getMessage(), e);
        }
    }
}
