package io.shopflow.order.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shopflow.order.application.AdmissionPolicy.Decision;
import io.shopflow.order.application.AdmissionPolicy.Reason;
import io.shopflow.order.config.AdmissionSettings;
import io.shopflow.outbox.Tracing;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Admission control of {@code POST /orders} (ADR 9). Requests decide on the last snapshot of the
 * work in flight, which ONE refresher renews every {@code shopflow.admission.refresh-interval}
 * on a Vert.x timer, the next read starting only after the previous one ended: a request never
 * waits for a query, and a load spike does not multiply the queries. Until the first read, and
 * when a read fails, the last snapshot stands (the oldest order in it keeps ageing).
 */
@ApplicationScoped
class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    /** A read that has not answered by then is given up, so that a lost connection cannot stop the refresher. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final WorkInFlight workInFlight;
    private final AdmissionPolicy policy;
    private final Duration staleAfter;
    private final long refreshMillis;
    private final Clock clock;
    private final Vertx vertx;
    private final Map<Reason, Counter> decisions = new EnumMap<>(Reason.class);
    private volatile WorkInFlight.Snapshot latest = WorkInFlight.Snapshot.NONE;
    private volatile boolean readFailing;
    private volatile boolean stopped;
    private volatile long timer = -1;

    Admission(WorkInFlight workInFlight, AdmissionSettings settings, Clock clock, Vertx vertx, MeterRegistry registry) {
        this.workInFlight = workInFlight;
        this.policy = new AdmissionPolicy(settings.enabled(), settings.maxPending(),
                settings.maxOldestPendingAge(), settings.maxRetryAfter());
        this.staleAfter = settings.staleAfter();
        this.refreshMillis = Math.max(1, settings.refreshInterval().toMillis());
        this.clock = clock;
        this.vertx = vertx;
        // Prometheus: shopflow_orders_pending, shopflow_orders_pending_oldest_age_seconds. Every
        // instance reports the same database-wide figures: dashboards and alerts take max(), not sum().
        Gauge.builder("shopflow.orders.pending", this, a -> a.latest.pending())
                .description("PENDING orders placed within shopflow.admission.stale-after: the work in flight")
                .register(registry);
        Gauge.builder("shopflow.orders.pending.oldest.age", this, a -> a.oldestPendingAge().toMillis() / 1000.0)
                .baseUnit("seconds")
                .description("Age of the oldest PENDING order placed within shopflow.admission.stale-after (0 when none)")
                .register(registry);
        // Prometheus: shopflow_admission_decisions_total{decision, reason}; every series registered
        // up front, so that a dashboard shows 0 rather than no series.
        for (Reason reason : Reason.values()) {
            decisions.put(reason, Counter.builder("shopflow.admission.decisions")
                    .tag("decision", reason == Reason.NONE ? "accepted" : "refused")
                    .tag("reason", reason.label())
                    .description("POST /orders admitted (new work, or a key used before) or refused with 503")
                    .register(registry));
        }
    }

    void start(@Observes StartupEvent event) {
        refresh();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    /** Whether new work is admitted now. */
    Decision decide() {
        return policy.decide(latest.pending(), oldestPendingAge());
    }

    /** Counts how a request was answered: {@code answered} accepted it or refused it (503). */
    void count(Decision answered) {
        decisions.get(answered.reason()).increment();
    }

    private Duration oldestPendingAge() {
        return latest.oldestPlacedAt()
                .map(placedAt -> Duration.between(placedAt, clock.instant()))
                .filter(age -> !age.isNegative())
                .orElse(Duration.ZERO);
    }

    private void refresh() {
        if (stopped) {
            return;
        }
        // A duplicated context of its own, like a request's: Quarkus keeps the OpenTelemetry
        // context there, and untraced keeps this housekeeping read out of the traces.
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> Tracing
                .untraced(() -> workInFlight.pendingSince(clock.instant().minus(staleAfter)))
                .ifNoItem().after(READ_TIMEOUT).fail()
                .subscribe().with(this::refreshed, this::readFailed));
    }

    private void refreshed(WorkInFlight.Snapshot snapshot) {
        latest = snapshot;
        if (readFailing) {
            readFailing = false;
            LOG.info("Admission control reads the work in flight again");
        }
        scheduleNext();
    }

    private void readFailed(Throwable failure) {
        // Logged once per outage rather than four times a second; the database's own alerts say more.
        if (!stopped && !readFailing) {
            readFailing = true;
            LOG.warnf("Admission control cannot read the work in flight (%s); it decides on the last snapshot",
                    failure.toString());
        }
        scheduleNext();
    }

    private void scheduleNext() {
        if (!stopped) {
            timer = vertx.setTimer(refreshMillis, id -> refresh());
        }
    }
}
