package io.shopflow.relay.cdc;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.relay.RelaySettings;
import io.shopflow.relay.RelaySettings.Source;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/** The Debezium embedded engine configuration for one source. */
final class DebeziumProperties {

    static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

    /** Upserts the single row of {@code relay_heartbeat}: a write that moves the slot while the outbox is quiet. */
    private static final String HEARTBEAT_QUERY = "INSERT INTO relay_heartbeat (id, beat_at) VALUES (1, now()) "
            + "ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at";

    /** Outbox columns that become Kafka headers: {@code column:header:name}. */
    private static final String HEADER_COLUMNS = String.join(",",
            "id:header:" + MessageHeaders.MESSAGE_ID,
            "message_type:header:" + MessageHeaders.MESSAGE_TYPE,
            "aggregate_type:header:" + MessageHeaders.AGGREGATE_TYPE,
            "correlation_id:header:" + MessageHeaders.CORRELATION_ID,
            "causation_id:header:" + MessageHeaders.CAUSATION_ID,
            "created_at:header:" + MessageHeaders.OCCURRED_AT,
            "traceparent:header:" + MessageHeaders.TRACEPARENT,
            "tracestate:header:" + MessageHeaders.TRACESTATE);

    private DebeziumProperties() {
    }

    static String serverName(Source source) {
        return source.slotName();
    }

    static Path offsetFile(Path dataDir, Source source) {
        return dataDir.resolve(source.name()).resolve("offsets.dat");
    }

    static Properties of(Source source, RelaySettings settings, Duration heartbeat) {
        URI url = parse(source.jdbcUrl());
        Properties p = new Properties();
        p.setProperty("name", serverName(source));
        p.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");

        // Offsets survive restarts in the data dir; flushed after every batch, so that a crash
        // replays (duplicates) at most the batch in flight.
        p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        p.setProperty("offset.storage.file.filename", offsetFile(settings.dataDir(), source).toString());
        p.setProperty("offset.flush.interval.ms", "0");
        p.setProperty("offset.flush.timeout.ms", "10000");

        p.setProperty("database.hostname", url.getHost());
        p.setProperty("database.port", Integer.toString(url.getPort() > 0 ? url.getPort() : 5432));
        p.setProperty("database.dbname", url.getPath().substring(1));
        p.setProperty("database.user", source.username());
        p.setProperty("database.password", source.password());
        p.setProperty("topic.prefix", serverName(source));

        p.setProperty("plugin.name", "pgoutput");
        // The service's Flyway migration creates the publication (inserts only); the relay user
        // need not own the table.
        p.setProperty("publication.name", "shopflow_outbox");
        p.setProperty("publication.autocreate.mode", "disabled");
        p.setProperty("slot.name", serverName(source));
        p.setProperty("table.include.list", "public.outbox");
        // initial, not no_data: rows written before the slot existed must be published too. The
        // relay deletes rows once Kafka has them, so a snapshot only sees unpublished ones.
        p.setProperty("snapshot.mode", "initial");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("tombstones.on.delete", "false");

        // The default 500 ms poll interval alone adds ~0.4 s to every message's latency.
        p.setProperty("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
        p.setProperty("max.batch.size", Integer.toString(settings.batchSize()));
        p.setProperty("max.queue.size", Integer.toString(settings.batchSize() * 4));

        p.setProperty("heartbeat.interval.ms", Long.toString(heartbeat.toMillis()));
        p.setProperty("heartbeat.action.query", HEARTBEAT_QUERY);
        p.setProperty("topic.heartbeat.prefix", HEARTBEAT_TOPIC_PREFIX);

        // Connection losses are retried by Debezium itself, without limit.
        p.setProperty("errors.max.retries", "-1");
        // On shutdown, a batch in flight gets the time to be acknowledged.
        p.setProperty("record.processing.shutdown.timeout.ms",
                Long.toString(settings.deliveryTimeout().toMillis() + 2_000));

        p.setProperty("transforms", "outbox");
        p.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        p.setProperty("transforms.outbox.table.field.event.id", "id");
        p.setProperty("transforms.outbox.table.field.event.key", "aggregate_id");
        p.setProperty("transforms.outbox.table.field.event.payload", "payload");
        p.setProperty("transforms.outbox.route.by.field", "topic");
        p.setProperty("transforms.outbox.route.topic.replacement", "${routedByValue}");
        p.setProperty("transforms.outbox.route.tombstone.on.empty.payload", "false");
        p.setProperty("transforms.outbox.table.fields.additional.placement", HEADER_COLUMNS);
        return p;
    }

    private static URI parse(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        URI url = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (url.getHost() == null || url.getPath() == null || url.getPath().length() < 2) {
            throw new IllegalArgumentException("Expected jdbc:postgresql://host[:port]/database, got " + jdbcUrl);
        }
        return url;
    }
}
