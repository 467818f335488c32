package io.shopflow.order.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopflow.order.application.AdmissionPolicy.Decision;
import io.shopflow.order.application.AdmissionPolicy.Reason;
import io.shopflow.order.config.AdmissionSettings;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Admission control of {@code POST /orders} (ADR 9). Requests decide on the last snapshot of the
 * work in flight, which {@link #refresh} renews: ONE refresher calls it every
 * {@code shopflow.admission.refresh-interval}, the next read starting only after the previous one
 * ended, so that a request never waits for a query, and a load spike does not multiply the
 * queries. Until the first read, and when a read fails, the last snapshot stands (the oldest order
 * in it keeps ageing).
 */
@ApplicationScoped
public class Admission {

    private final WorkInFlight workInFlight;
    private final AdmissionPolicy policy;
    private final Duration staleAfter;
    private final Clock clock;
    private final Map<Reason, Counter> decisions = new EnumMap<>(Reason.class);
    private volatile WorkInFlight.Snapshot latest = WorkInFlight.Snapshot.NONE;

    Admission(WorkInFlight workInFlight, AdmissionSettings settings, Clock clock, MeterRegistry registry) {
        this.workInFlight = workInFlight;
        this.policy = new AdmissionPolicy(settings.enabled(), settings.maxPending(),
                settings.maxOldestPendingAge(), settings.maxRetryAfter());
        this.staleAfter = settings.staleAfter();
        this.clock = clock;
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

    /**
     * Reads the work in flight once, and decides on it from then on; a failed read leaves the last
     * snapshot standing.
     */
    public Uni<Void> refresh() {
        return workInFlight.pendingSince(clock.instant().minus(staleAfter))
                .invoke(snapshot -> latest = snapshot)
                .replaceWithVoid();
    }
}
