package io.shopflow.relay.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopflow.relay.RelaySettings.Source;
import io.shopflow.relay.publish.SourceConnections;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples {@code shopflow_relay_lag_seconds{source}}, the age of the oldest unpublished outbox
 * row (0 when there is none), and {@code shopflow_relay_slot_retained_wal_bytes{source}}, the WAL
 * its replication slot holds back; NaN while the source cannot be reached. It runs on its own thread
 * and connections, off the publishing path; a scrape reads the last sample.
 */
public final class LagSampler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LagSampler.class);

    /**
     * The oldest row by {@code position} rather than {@code min(created_at)}: both are taken at
     * insert, and this one is a single read of the {@code outbox_unpublished} index where the
     * other scans the whole backlog, which is large exactly when the gauge matters.
     */
    private static final String OLDEST = "SELECT EXTRACT(EPOCH FROM clock_timestamp() - created_at) FROM outbox "
            + "WHERE published_at IS NULL ORDER BY position LIMIT 1";

    /** WAL written since the slot's confirmed position: what the slot keeps on disk (CDC mode). */
    private static final String RETAINED_WAL = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) "
            + "FROM pg_replication_slots WHERE slot_name = ?";

    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "shopflow-relay-lag"));
    private final MeterRegistry registry;
    private final List<Sample> samples = new ArrayList<>();
    private final List<Meter> gauges = new ArrayList<>();

    private LagSampler(List<Source> sources, MeterRegistry registry) {
        this.registry = registry;
        for (Source source : sources) {
            Sample sample = new Sample(source);
            samples.add(sample);
            gauges.add(Gauge.builder("shopflow.relay.lag", sample, s -> s.seconds)
                    .tag("source", source.name())
                    .baseUnit("seconds")
                    .description("Age of the oldest unpublished outbox row")
                    .register(registry));
            gauges.add(Gauge.builder("shopflow.relay.slot.retained.wal", sample, s -> s.retainedWalBytes)
                    .tag("source", source.name())
                    .baseUnit("bytes")
                    .description("WAL the source's replication slot holds back (0 without a slot: polling mode)")
                    .register(registry));
        }
    }

    /** Samples every {@code period} until closed. */
    public static LagSampler start(List<Source> sources, MeterRegistry registry, Duration period) {
        LagSampler sampler = new LagSampler(sources, registry);
        sampler.scheduler.scheduleWithFixedDelay(sampler::sampleAll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return sampler;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        samples.forEach(Sample::disconnect);
        gauges.forEach(registry::remove);
    }

    private void sampleAll() {
        samples.forEach(Sample::sample);
    }

    private static final class Sample {
        private final Source source;
        private Connection connection;
        private volatile double seconds = Double.NaN;
        private volatile double retainedWalBytes = Double.NaN;

        Sample(Source source) {
            this.source = source;
        }

        void sample() {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = SourceConnections.open(source);
                }
                try (PreparedStatement oldest = connection.prepareStatement(OLDEST);
                     ResultSet rs = oldest.executeQuery()) {
                    seconds = rs.next() ? Math.max(0, rs.getDouble(1)) : 0;
                }
                try (PreparedStatement slot = connection.prepareStatement(RETAINED_WAL)) {
                    slot.setString(1, source.slotName());
                    try (ResultSet rs = slot.executeQuery()) {
                        retainedWalBytes = rs.next() ? rs.getDouble(1) : 0;
                    }
                }
            } catch (SQLException e) {
                seconds = Double.NaN;
                retainedWalBytes = Double.NaN;
                LOG.debugf("Lag of source %s unavailable: %s", source.name(), e.getMessage());
                disconnect();
            }
        }

        void disconnect() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    LOG.debugf("Closing the lag connection of %s: %s", source.name(), e.getMessage());
                }
                connection = null;
            }
        }
    }
}
