package io.shopflow.relay.cdc;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The peer the relay is measured against: Debezium's PostgreSQL connector with the same outbox
 * event router, on a Kafka Connect standalone worker (the deployment most teams choose instead of
 * an embedded relay). The connector gets the relay's own Debezium settings ({@link DebeziumProperties}),
 * so both read the same publication the same way and produce the same records and headers; the
 * worker keeps Kafka Connect's defaults (its own producer settings, offsets flushed every 60 s).
 * Differences on purpose: no heartbeat (runs are short) and no deletion of published rows (the
 * connector has none; the relay deletes them, which costs it work).
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
    public static KafkaConnectWorker start(Source source, RelaySettings settings, Path dataDir) throws Exception {
        Files.createDirectories(dataDir);
        Map<String, String> worker = new HashMap<>();
        worker.put("bootstrap.servers", settings.bootstrapServers());
        worker.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        worker.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        worker.put("offset.storage.file.filename", dataDir.resolve("connect.offsets").toString());
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

    static Map<String, String> connectorConfig(Source source, RelaySettings settings) {
        Properties relay = DebeziumProperties.of(source, settings, Duration.ZERO);
        Map<String, String> config = new HashMap<>();
        relay.stringPropertyNames().forEach(key -> config.put(key, relay.getProperty(key)));
        // Engine-only keys (the worker owns offsets and shutdown) and the heartbeat.
        config.keySet().removeIf(key -> key.startsWith("offset.") || key.startsWith("heartbeat.")
                || key.equals("record.processing.shutdown.timeout.ms") || key.equals("topic.heartbeat.prefix"));
        config.put("name", CONNECTOR);
        config.put("tasks.max", "1");
        return config;
    }

    private void awaitRunning(Source source, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                ConnectorStateInfo state = connect.herder().connectorStatus(CONNECTOR);
                if (!state.tasks().isEmpty() && state.tasks().stream().allMatch(t -> "RUNNING".equals(t.state()))
                        && CdcSource.streamingConnected(source)) {
                    return;
                }
                if (state.tasks().stream().anyMatch(t -> "FAILED".equals(t.state()))) {
                    throw new IllegalStateException("The outbox connector failed: " + state.tasks().get(0).trace());
                }
            } catch (NotFoundException notYet) {
                // The herder has not created it yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("The outbox connector did not stream within " + timeout);
    }

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
    }
}
