package io.shopflow.relay.cdc;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.relay.RelaySettings;
import io.shopflow.relay.RelaySettings.Source;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.errors.NotFoundException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.util.FutureCallback;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The peer the relay is measured against: Debezium's PostgreSQL connector with the same outbox
 * event router, on a Kafka Connect standalone worker (the deployment most teams choose instead of
 * an embedded relay). It reads the relay's publication with the relay's slot name, batch size and
 * poll interval ({@link #connectorConfig}) and produces the same records and headers; the worker
 * keeps Kafka Connect's defaults (its own producer settings, offsets flushed every 60 s).
 * Difference on purpose: no deletion of published rows (the connector has none; the relay
 * deletes them, which costs it work).
 *
 * <p>The worker runs in the calling JVM, like the relay in the benchmark, so that both share the
 * same collector, heap and CPU budget.
 */
public final class KafkaConnectWorker implements AutoCloseable {

    private static final String CONNECTOR = "outbox-peer";

    private final Connect<StandaloneHerder> connect;

    private KafkaConnectWorker(Connect<StandaloneHerder> connect) {
        this.connect = connect;
    }

    /** Starts a worker with the outbox connector for {@code source}, and waits until its task runs. */
    public static KafkaConnectWorker start(Source source, RelaySettings settings, Path offsetsDir) throws Exception {
        Files.createDirectories(offsetsDir);
        Map<String, String> worker = new HashMap<>();
        // The worker's own clients, and the producer of its source task, log in as the relay does.
        settings.kafka().clientConfig(Map.of()).forEach((key, value) -> {
            worker.put(key, String.valueOf(value));
            worker.put("producer." + key, String.valueOf(value));
        });
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("offset.storage.file.filename", offsetsDir.resolve("connect.offsets").toString());
        worker.put("listeners", "http://localhost:0");
        // Debezium's jars list the connector and the event router as services: no classpath scan.
        worker.put("plugin.discovery", "service_load");
        Connect<StandaloneHerder> connect = new ConnectStandalone().startConnect(worker);
        KafkaConnectWorker started = new KafkaConnectWorker(connect);
        try {
            FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
            connect.herder().putConnectorConfig(CONNECTOR, connectorConfig(source, settings), false, created);
            created.get(60, TimeUnit.SECONDS);
            started.awaitRunning(source, Duration.ofSeconds(90));
            return started;
        } catch (Exception e) {
            started.close();
            throw e;
        }
    }

    /**
     * Debezium's PostgreSQL connector with the outbox event router, configured to do the relay's
     * job: the same publication, slot name, columns as Kafka headers, batch size and (for its
     * latency) the relay's poll interval in place of Debezium's 500 ms default.
     */
    private static Map<String, String> connectorConfig(Source source, RelaySettings settings) {
        URI url = URI.create(source.jdbcUrl().substring("jdbc:".length()));
        Map<String, String> c = new HashMap<>();
        c.put("name", CONNECTOR);
        c.put("tasks.max", "1");
        c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        c.put("database.hostname", url.getHost());
        c.put("database.port", Integer.toString(url.getPort()));
        c.put("database.dbname", url.getPath().substring(1));
        c.put("database.user", source.username());
        c.put("database.password", source.password());
        c.put("topic.prefix", source.slotName());
        c.put("plugin.name", "pgoutput");
        c.put("publication.name", CdcSource.PUBLICATION);
        c.put("publication.autocreate.mode", "disabled");
        c.put("slot.name", source.slotName());
        c.put("table.include.list", "public.outbox");
        c.put("snapshot.mode", "initial");
        c.put("binary.handling.mode", "bytes");
        c.put("tombstones.on.delete", "false");
        c.put("poll.interval.ms", Long.toString(settings.pollInterval().toMillis()));
        c.put("max.batch.size", Integer.toString(settings.batchSize()));
        c.put("max.queue.size", Integer.toString(settings.batchSize() * 4));
        c.put("errors.max.retries", "-1");
        c.put("transforms", "outbox");
        c.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        c.put("transforms.outbox.table.field.event.id", "id");
        c.put("transforms.outbox.table.field.event.key", "aggregate_id");
        c.put("transforms.outbox.table.field.event.payload", "payload");
        c.put("transforms.outbox.route.by.field", "topic");
        c.put("transforms.outbox.route.topic.replacement", "${routedByValue}");
        c.put("transforms.outbox.route.tombstone.on.empty.payload", "false");
        c.put("transforms.outbox.table.fields.additional.placement", String.join(",",
                "id:header:" + MessageHeaders.MESSAGE_ID,
                "message_type:header:" + MessageHeaders.MESSAGE_TYPE,
                "aggregate_type:header:" + MessageHeaders.AGGREGATE_TYPE,
                "correlation_id:header:" + MessageHeaders.CORRELATION_ID,
                "causation_id:header:" + MessageHeaders.CAUSATION_ID,
                "created_at:header:" + MessageHeaders.OCCURRED_AT,
                "traceparent:header:" + MessageHeaders.TRACEPARENT,
                "tracestate:header:" + MessageHeaders.TRACESTATE));
        return c;
    }

    /** Debezium's streaming metrics of {@code source} say it is connected (so: past the snapshot). */
    private static boolean streamingConnected(Source source) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName pattern = new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,server="
                    + source.slotName() + ",*");
            for (ObjectName name : server.queryNames(pattern, null)) {
                if (Boolean.TRUE.equals(server.getAttribute(name, "Connected"))) {
                    return true;
                }
            }
            return false;
        } catch (JMException e) {
            return false;
        }
    }

    private void awaitRunning(Source source, Duration timeout) {
        await("the outbox connector streams").atMost(timeout).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(NotFoundException.class) // the herder has not created it yet
                .until(() -> {
                    ConnectorStateInfo state = connect.herder().connectorStatus(CONNECTOR);
                    if (state.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                        throw new IllegalStateException("The outbox connector failed: " + state.tasks().get(0).trace());
                    }
                    return !state.tasks().isEmpty()
                            && state.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()))
                            && streamingConnected(source);
                });
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
