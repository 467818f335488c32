package io.shopflow.messaging.cdi;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.shopflow.outbox.Pruner;
import io.shopflow.outbox.RetentionPolicy;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Prunes the service's tables by their {@link RetentionPolicy} beans (the inbox in every service;
 * a service adds its own): every {@code shopflow.retention.interval}, on its own thread, one
 * instance of the service at a time, with the {@link Pruner} over the JDBC pool (ADR 12). The
 * first run waits one interval, so that pruning never competes with the service's start.
 *
 * <p>Metrics per {@code table}: {@code shopflow_retention_pruned_rows_total},
 * {@code shopflow_retention_table_size_bytes}, {@code shopflow_retention_oldest_row_age_seconds}
 * (from the oldest row of the last run to now: it keeps growing when pruning stops) and
 * {@code shopflow_retention_window_seconds}; and {@code shopflow_retention_runs_total} by
 * {@code outcome} ({@code done}, {@code skipped} while another instance prunes: then it only
 * measures, {@code failed}).
 */
@Singleton
public class RetentionJob {

    private static final Logger LOG = Logger.getLogger(RetentionJob.class);

    /** One policy's meters. */
    private static final class Meters {
        final Counter pruned;
        final AtomicLong tableBytes = new AtomicLong();
        final AtomicReference<Instant> oldest = new AtomicReference<>();

        Meters(RetentionPolicy policy, MeterRegistry registry, Clock clock) {
            String table = policy.table();
            pruned = Counter.builder("shopflow.retention.pruned.rows").tag("table", table)
                    .description("Rows deleted because their retention window had passed").register(registry);
            Gauge.builder("shopflow.retention.table.size", tableBytes, AtomicLong::doubleValue).tag("table", table)
                    .baseUnit("bytes").description("The table's size with its indexes and TOAST, at the last run")
                    .register(registry);
            Gauge.builder("shopflow.retention.oldest.row.age", oldest, o -> o.get() == null ? 0
                            : Duration.between(o.get(), clock.instant()).toMillis() / 1000.0).tag("table", table)
                    .baseUnit("seconds").description("Age now of the oldest row the last run left").register(registry);
            Gauge.builder("shopflow.retention.window", policy, p -> p.window().toMillis() / 1000.0).tag("table", table)
                    .baseUnit("seconds").description("How long the table keeps a row").register(registry);
        }
    }

    private final List<RetentionPolicy> policies;
    private final Map<String, Meters> meters;
    private final Pruner pruner;
    private final Clock clock;
    private final boolean enabled;
    private final Duration interval;
    private final Map<String, Counter> runs;
    private ScheduledExecutorService scheduler;

    RetentionJob(@Any Instance<RetentionPolicy> policies, DataSource dataSource, MeterRegistry registry, Clock clock,
                 @ConfigProperty(name = "shopflow.retention.enabled", defaultValue = "true") boolean enabled,
                 @ConfigProperty(name = "shopflow.retention.interval", defaultValue = "5m") Duration interval,
                 @ConfigProperty(name = "shopflow.retention.batch-size", defaultValue = "5000") int batchSize) {
        this.policies = policies.stream().sorted(Comparator.comparing(RetentionPolicy::table)).toList();
        Map<String, Meters> meters = new HashMap<>();
        for (RetentionPolicy policy : this.policies) {
            if (meters.putIfAbsent(policy.table(), new Meters(policy, registry, clock)) != null) {
                throw new IllegalStateException("Two retention policies for table " + policy.table());
            }
        }
        this.meters = Map.copyOf(meters);
        // Every outcome from the start, so that increase() sees the first failure too.
        this.runs = Stream.of("done", "skipped", "failed").collect(Collectors.toMap(outcome -> outcome,
                outcome -> Counter.builder("shopflow.retention.runs").tag("outcome", outcome)
                        .description("Retention runs by outcome").register(registry)));
        this.pruner = new Pruner(dataSource, batchSize);
        this.clock = clock;
        this.enabled = enabled;
        this.interval = interval;
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("shopflow.retention.interval must be positive: " + interval);
        }
    }

    void start(@Observes StartupEvent applicationStarted) {
        if (!enabled) {
            LOG.warn("Retention is off (shopflow.retention.enabled=false): " + tables() + " grow without bound");
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "shopflow-retention");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        LOG.infof("Pruning %s every %s", tables(), interval);
    }

    @PreDestroy
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** One run now, on the caller's thread: what the schedule does every interval. */
    public void runOnce() {
        try {
            Pruner.Run run = pruner.run(policies, clock.instant());
            for (Pruner.Outcome outcome : run.outcomes()) {
                Meters m = meters.get(outcome.policy().table());
                m.pruned.increment(outcome.pruned());
                m.tableBytes.set(outcome.tableBytes());
                m.oldest.set(outcome.oldest().orElse(null));
                if (outcome.pruned() > 0) {
                    LOG.debugf("Pruned %d rows of %s", outcome.pruned(), outcome.policy().table());
                }
            }
            count(run.pruned() ? "done" : "skipped");
        } catch (Exception e) {
            count("failed");
            LOG.warn("Pruning " + tables() + " failed; trying again in " + interval, e);
        }
    }

    private void count(String outcome) {
        runs.get(outcome).increment();
    }

    private String tables() {
        return policies.stream().map(p -> p.table() + " (" + p.window() + ")").collect(Collectors.joining(", "));
    }

}
