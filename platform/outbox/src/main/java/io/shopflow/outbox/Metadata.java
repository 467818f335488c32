package io.shopflow.outbox;

import io.shopflow.contracts.common.MessageMetadata;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Builds and reads the {@link MessageMetadata} that every Shopflow message carries. */
public final class Metadata {

    private Metadata() {
    }

    /**
     * Metadata of a new message: a fresh message id, the saga (order) it belongs to, and the
     * message that caused it ({@code null} for the first of a saga).
     */
    public static MessageMetadata newMessage(String correlationId, String causationId, Instant now) {
        return MessageMetadata.newBuilder()
                .setMessageId(UUID.randomUUID())
                .setCorrelationId(correlationId)
                .setCausationId(causationId)
                // Avro timestamp-millis: keep what survives a round trip.
                .setOccurredAt(now.truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    /** Metadata of a message sent in reaction to {@code cause}: same saga, caused by it. */
    public static MessageMetadata causedBy(MessageMetadata cause, Instant now) {
        return newMessage(cause.getCorrelationId(), cause.getMessageId().toString(), now);
    }

    /** The metadata of {@code message}; fails for a record without a {@code metadata} field. */
    public static MessageMetadata of(SpecificRecord message) {
        Schema.Field field = message.getSchema().getField("metadata");
        if (field == null || !(message.get(field.pos()) instanceof MessageMetadata metadata)) {
            throw new IllegalArgumentException(message.getSchema().getFullName() + " carries no MessageMetadata");
        }
        return metadata;
    }
}
