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
    private final String registryUrl;

    /**
     * @param registryUrl e.g. {@code http://apicurio:8080/apis/registry/v3}
     * @param overrides further {@code apicurio.registry.*} settings, applied last
     */
    public ApicurioSerde(String registryUrl, Map<String, ?> overrides) {
        AvroLimits.apply();
        this.registryUrl = registryUrl;
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
            // The registry's own failure as the cause, not the serde's wrapper: consumers dead-letter at once
            // anything with a SerializationException among its causes.
            Throwable unavailable = unavailability(e);
            if (unavailable != null) {
                throw new RegistryUnavailableException("The schema registry " + registryUrl + " did not answer ("
                        + unavailable + "); the message is tried again", unavailable);
            }
            throw new MessageDecodingException(REGISTRY_ERROR, e.getMessage(), e);
        }
    }

    /**
     * Among {@code e} and its causes, the one that says the registry could not be reached or failed on its side:
     * an I/O error (connection refused or reset, a timeout), or an answer with a 5xx status; null when there is
     * none. A 4xx (an unknown id) is the message's problem, not the registry's.
     */
    private static Throwable unavailability(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof com.microsoft.kiota.ApiException api && api.getResponseStatusCode() >= 500) {
                return t;
            }
        }
        return null;
    }
}
