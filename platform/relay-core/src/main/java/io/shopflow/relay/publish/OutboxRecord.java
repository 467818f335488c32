package io.shopflow.relay.publish;

import io.shopflow.contracts.MessageHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One outbox row on its way to Kafka, whichever mode read it; both modes therefore publish the
 * same record shape: topic = {@code topic}, key = {@code aggregate_id}, value = {@code payload},
 * and the metadata columns as the {@link MessageHeaders} (UTF-8 strings, absent when null).
 *
 * <p>{@code payload} is not copied: the record is a short-lived carrier, not a value object.
 */
public record OutboxRecord(UUID id, String aggregateType, String aggregateId, String topic, String messageType,
                           byte[] payload, String correlationId, String causationId, Instant createdAt,
                           String traceparent, String tracestate) {

    /** The outbox columns a record is made of, in the order of its components. */
    public static final List<String> COLUMN_NAMES = List.of("id", "aggregate_type", "aggregate_id", "topic",
            "message_type", "payload", "correlation_id", "causation_id", "created_at", "traceparent", "tracestate");

    /** The outbox columns {@link #read(ResultSet)} needs, for a {@code SELECT}. */
    public static final String COLUMNS = String.join(", ", COLUMN_NAMES);

    public OutboxRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The record of the current row of {@code row}, selected with at least {@link #COLUMNS}. */
    public static OutboxRecord read(ResultSet row) throws SQLException {
        return new OutboxRecord(
                row.getObject("id", UUID.class),
                row.getString("aggregate_type"),
                row.getString("aggregate_id"),
                row.getString("topic"),
                row.getString("message_type"),
                row.getBytes("payload"),
                row.getString("correlation_id"),
                row.getString("causation_id"),
                row.getObject("created_at", OffsetDateTime.class).toInstant(),
                row.getString("traceparent"),
                row.getString("tracestate"));
    }

    /**
     * @param trace the {@code traceparent} (and {@code tracestate}) to publish: the relay's
     *              publish span, whose parent is this row's own context
     */
    ProducerRecord<byte[], byte[]> toProducerRecord(Map<String, String> trace) {
        RecordHeaders headers = new RecordHeaders();
        add(headers, MessageHeaders.MESSAGE_ID, id.toString());
        add(headers, MessageHeaders.MESSAGE_TYPE, messageType);
        add(headers, MessageHeaders.AGGREGATE_TYPE, aggregateType);
        add(headers, MessageHeaders.CORRELATION_ID, correlationId);
        add(headers, MessageHeaders.CAUSATION_ID, causationId);
        add(headers, MessageHeaders.OCCURRED_AT, createdAt.toString());
        add(headers, MessageHeaders.TRACEPARENT, trace.getOrDefault(MessageHeaders.TRACEPARENT, traceparent));
        add(headers, MessageHeaders.TRACESTATE, trace.getOrDefault(MessageHeaders.TRACESTATE, tracestate));
        // No explicit timestamp: a row found by a late start-up scan may be older than the topic's
        // retention, and CreateTime in the past would make the broker delete it at once.
        return new ProducerRecord<>(topic, null, aggregateId.getBytes(StandardCharsets.UTF_8), payload, headers);
    }

    private static void add(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
