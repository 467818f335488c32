package io.shopflow.relay.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.shopflow.relay.RelaySettings;
import io.shopflow.relay.RelaySettings.Source;
import io.shopflow.relay.publish.Backoff;
import io.shopflow.relay.publish.KafkaPublisher;
import io.shopflow.relay.publish.OutboxRecord;
import io.shopflow.relay.publish.SourceRelay;
import org.apache.kafka.connect.source.SourceRecord;
import org.jboss.logging.Logger;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Relays one source with the Debezium embedded engine: logical decoding of the
 * {@code shopflow_outbox} publication through its own replication slot, the outbox event router,
 * and a {@link KafkaPublisher}. A change is marked processed only after Kafka acknowledged it, so
 * the offsets (and the slot's confirmed position) never pass an unpublished row.
 *
 * <p>Should the engine stop on its own (an error Debezium does not retry), a supervisor thread
 * starts a new one after a backoff; the relay is not ready meanwhile.
 */
public final class CdcSource implements SourceRelay {

    private static final Logger LOG = Logger.getLogger(CdcSource.class);
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

    private final Source source;
    private final Properties properties;
    private final KafkaPublisher publisher;
    private final Backoff restartBackoff;
    private final PublishedRowDeleter deleter;
    private final Thread supervisor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private volatile boolean taskRunning;

    private CdcSource(Source source, RelaySettings settings, KafkaPublisher publisher) {
        this.source = source;
        this.properties = DebeziumProperties.of(source, settings, HEARTBEAT_INTERVAL);
        this.publisher = publisher;
        this.restartBackoff = new Backoff(settings.backoffBase(), settings.backoffCap());
        this.deleter = new PublishedRowDeleter(source);
        this.supervisor = new Thread(this::supervise, "shopflow-relay-cdc-" + source.name());
    }

    /** Starts relaying {@code source}; returns at once, {@link #isStreaming()} tells when changes flow. */
    public static CdcSource start(Source source, RelaySettings settings, KafkaPublisher publisher) {
        Path offsets = DebeziumProperties.offsetFile(settings.dataDir(), source);
        try {
            Files.createDirectories(offsets.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the offsets directory of source " + source.name(), e);
        }
        CdcSource cdc = new CdcSource(source, settings, publisher);
        cdc.supervisor.start();
        return cdc;
    }

    @Override
    public String name() {
        return source.name();
    }

    /** The engine's task runs and Debezium's streaming metrics say it is connected (so: past the snapshot). */
    @Override
    public boolean isStreaming() {
        return taskRunning && closing.getCount() > 0 && streamingConnected(source);
    }

    @Override
    public boolean isAlive() {
        return supervisor.isAlive();
    }

    @Override
    public void close() {
        closing.countDown();
        // A batch still failing to publish ends at its current attempt instead of retrying.
        publisher.stopRetrying();
        DebeziumEngine<RecordChangeEvent<SourceRecord>> current = engine;
        if (current != null) {
            try {
                // Waits for the batch in flight, then commits the offsets of processed records.
                current.close();
            } catch (IOException e) {
                LOG.warnf(e, "Closing the CDC engine of source %s", source.name());
            }
        }
        try {
            supervisor.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleter.close();
        publisher.close();
    }

    private void supervise() {
        int failures = 0;
        while (closing.getCount() > 0) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> next = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                    .using(properties)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void taskStarted() {
                            taskRunning = true;
                        }

                        @Override
                        public void taskStopped() {
                            taskRunning = false;
                        }
                    })
                    .using((success, message, error) -> {
                        if (!success && closing.getCount() > 0) {
                            LOG.errorf(error, "CDC engine of source %s failed: %s", source.name(), message);
                        }
                    })
                    .notifying(this::handleBatch)
                    .build();
            engine = next;
            if (closing.getCount() == 0) {
                break;
            }
            long started = System.nanoTime();
            next.run();
            taskRunning = false;
            if (closing.getCount() == 0) {
                break;
            }
            // A run that lasted a while was healthy: start the backoff over.
            failures = System.nanoTime() - started > TimeUnit.MINUTES.toNanos(1) ? 1 : failures + 1;
            Duration delay = restartBackoff.delay(failures);
            LOG.errorf("CDC engine of source %s stopped; restart %d in %d ms", source.name(), failures, delay.toMillis());
            try {
                if (closing.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
                             DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<OutboxRecord> records = new ArrayList<>(events.size());
        int[] eventOfRecord = new int[events.size()];
        for (int i = 0; i < events.size(); i++) {
            SourceRecord record = events.get(i).record();
            var outboxRecord = CdcRecords.toOutboxRecord(record);
            if (outboxRecord.isPresent()) {
                eventOfRecord[records.size()] = i;
                records.add(outboxRecord.get());
            } else if (!CdcRecords.isHeartbeat(record)) {
                LOG.warnf("Source %s: skipping a change that is not an outbox insert (topic %s)",
                        source.name(), record.topic());
            }
        }
        Marker marker = new Marker(events, committer);
        publisher.publish(records, (from, to) -> {
            deleter.delete(records.subList(from, to).stream().map(OutboxRecord::id).toList());
            marker.markThrough(eventOfRecord[to - 1]);
        });
        // Heartbeats after the last outbox record carry the newest offset: they move the slot.
        marker.markThrough(events.size() - 1);
        committer.markBatchFinished();
    }

    /** Debezium's streaming metrics of {@code source} say it is connected (past the snapshot). */
    static boolean streamingConnected(Source source) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName pattern = new ObjectName("debezium.postgres:type=connector-metrics,context=streaming,server="
                    + DebeziumProperties.serverName(source) + ",*");
            for (ObjectName name : server.queryNames(pattern, null)) {
                if (Boolean.TRUE.equals(server.getAttribute(name, "Connected"))) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            LOG.debugf("Streaming metrics of source %s unavailable: %s", source.name(), e.getMessage());
            return false;
        }
    }

    /** Marks events processed strictly in order, so an offset never passes an unacknowledged record. */
    private static final class Marker {
        private final List<RecordChangeEvent<SourceRecord>> events;
        private final DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer;
        private int next;

        Marker(List<RecordChangeEvent<SourceRecord>> events,
               DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) {
            this.events = events;
            this.committer = committer;
        }

        void markThrough(int lastIndex) throws InterruptedException {
            for (; next <= lastIndex; next++) {
                committer.markProcessed(events.get(next));
            }
        }
    }
}
