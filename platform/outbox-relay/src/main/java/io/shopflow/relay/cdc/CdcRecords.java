package io.shopflow.relay.cdc;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.relay.publish.OutboxRecord;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** Reads the records the outbox event router made of outbox inserts. */
final class CdcRecords {

    private CdcRecords() {
    }

    static boolean isHeartbeat(SourceRecord record) {
        return record.topic().startsWith(DebeziumProperties.HEARTBEAT_TOPIC_PREFIX);
    }

    /**
     * The outbox record, or empty when {@code record} is not a routed outbox insert. With the
     * insert-only publication and one included table, that is a heartbeat.
     */
    static Optional<OutboxRecord> toOutboxRecord(SourceRecord record) {
        String id = header(record, MessageHeaders.MESSAGE_ID);
        if (id == null || !(record.key() instanceof String key)) {
            return Optional.empty();
        }
        String createdAt = header(record, MessageHeaders.OCCURRED_AT);
        return Optional.of(new OutboxRecord(
                UUID.fromString(id),
                header(record, MessageHeaders.AGGREGATE_TYPE),
                key,
                record.topic(),
                header(record, MessageHeaders.MESSAGE_TYPE),
                bytes(record.value()),
                header(record, MessageHeaders.CORRELATION_ID),
                header(record, MessageHeaders.CAUSATION_ID),
                // Debezium's ZonedTimestamp: ISO-8601 with offset; the header is re-rendered as an
                // Instant so that CDC and polling write the same text.
                OffsetDateTime.parse(createdAt).toInstant(),
                header(record, MessageHeaders.TRACEPARENT),
                header(record, MessageHeaders.TRACESTATE)));
    }

    private static String header(SourceRecord record, String name) {
        Header header = record.headers().lastWithName(name);
        return header == null || header.value() == null ? null : header.value().toString();
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        throw new IllegalStateException("Outbox payload is not binary: " + (value == null ? null : value.getClass()));
    }
}
