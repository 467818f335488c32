package io.shopflow.outbox;

import org.apache.avro.specific.SpecificRecord;

import java.util.Objects;

/**
 * A message to publish, as a service hands it to the {@link OutboxWriter}: the aggregate it is
 * about (its id is the Kafka key, so per-aggregate order holds), the topic, and the Avro
 * message, which must carry a {@code metadata} field (every Shopflow message does).
 */
public record OutboxMessage(String aggregateType, String aggregateId, String topic, SpecificRecord message) {

    public OutboxMessage {
        Objects.requireNonNull(aggregateType, "aggregateType");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
    }
}
