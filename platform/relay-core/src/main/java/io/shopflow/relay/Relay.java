package io.shopflow.relay;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.shopflow.relay.cdc.CdcSource;
import io.shopflow.relay.lag.LagSampler;
import io.shopflow.relay.polling.PollingSource;
import io.shopflow.relay.publish.KafkaPublisher;
import io.shopflow.relay.publish.SourceRelay;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outbox relay: moves the rows of every source's {@code outbox} table to Kafka, at least
 * once, in order per aggregate, and marks a row processed only after Kafka acknowledged it.
 * Framework-neutral: the Quarkus app wraps it, and tests of other modules run it in-process.
 *
 * <pre>{@code
 * try (Relay relay = Relay.start(RelaySettings.defaults(Mode.CDC, bootstrap,
 *         new Source("order", jdbcUrl, "postgres", "postgres")), new SimpleMeterRegistry())) {
 *     await().until(relay::isStreaming);
 *     ...
 * }
 * }</pre>
 *
 * <p>Run one relay per source at a time: two CDC relays would fight over the replication slot,
 * and two polling relays would interleave batches of the same aggregate.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Relay.class);
    private static final Duration LAG_SAMPLE_PERIOD = Duration.ofSeconds(1);

    private final List<SourceRelay> sources;
    private final LagSampler lag;
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    private Relay(List<SourceRelay> sources, LagSampler lag, MeterRegistry registry) {
        this.sources = sources;
        this.lag = lag;
        this.registry = registry;
        for (SourceRelay source : sources) {
            meters.add(Gauge.builder("shopflow.relay.streaming", source, s -> s.isStreaming() ? 1 : 0)
                    .tag("source", source.name())
                    .description("1 while changes of the source flow, 0 while starting, failed or stopped")
                    .register(registry));
            meters.add(FunctionCounter.builder("shopflow.relay.source.failures", source, SourceRelay::failedAttempts)
                    .tag("source", source.name())
                    .description("Failed attempts to read the source, each followed by a reconnect after its backoff")
                    .register(registry));
        }
    }

    /** {@link #start(RelaySettings, MeterRegistry, OpenTelemetry)} without tracing. */
    public static Relay start(RelaySettings settings, MeterRegistry registry) {
        return start(settings, registry, OpenTelemetry.noop());
    }

    /**
     * Starts relaying every source and returns at once; {@link #isStreaming()} tells when changes
     * flow. Metrics go to {@code registry}; the spans of each row's wait and publish to
     * {@code openTelemetry}, in the trace of the span that wrote the row.
     */
    public static Relay start(RelaySettings settings, MeterRegistry registry, OpenTelemetry openTelemetry) {
        List<SourceRelay> sources = new ArrayList<>();
        for (RelaySettings.Source source : settings.sources()) {
            KafkaPublisher publisher = new KafkaPublisher(source.name(), settings, registry, openTelemetry);
            sources.add(switch (settings.mode()) {
                case CDC -> CdcSource.start(source, settings, publisher);
                case POLLING -> PollingSource.start(source, settings, publisher);
            });
        }
        LOG.infof("Outbox relay started in %s mode for %s, Kafka %s", settings.mode(), settings.sources(),
                settings.kafka());
        return new Relay(sources, LagSampler.start(settings.sources(), registry, LAG_SAMPLE_PERIOD), registry);
    }

    /** True when every source is streaming: connected and, for CDC, past its start-up scan. */
    public boolean isStreaming() {
        return sources.stream().allMatch(SourceRelay::isStreaming);
    }

    /** Whether each source is streaming, by source name. */
    public Map<String, Boolean> streamingBySource() {
        Map<String, Boolean> states = new LinkedHashMap<>();
        sources.forEach(source -> states.put(source.name(), source.isStreaming()));
        return states;
    }

    /** False once a source's loop has ended, which only {@link #close()} should cause. */
    public boolean isAlive() {
        return sources.stream().allMatch(SourceRelay::isAlive);
    }

    /**
     * Stops gracefully: no new changes are read, the batch in flight is acknowledged (within the
     * delivery timeout), the producer flushed and, for CDC, the acknowledged rows deleted and
     * their position confirmed to the slot.
     */
    @Override
    public void close() {
        meters.forEach(registry::remove);
        lag.close();
        sources.forEach(SourceRelay::close);
        LOG.info("Outbox relay stopped");
    }
}
