package io.shopflow.saga.adapter.scheduler;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.shopflow.outbox.Tracing;
import io.shopflow.saga.application.SagaCoordinator;
import io.shopflow.saga.domain.placeorder.PlaceOrderState;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Expires due deadlines on every instance (row locks make each due saga one instance's work),
 * and keeps the {@code shopflow_sagas_stuck} gauge: sagas that wait for an operator.
 */
@ApplicationScoped
class DeadlineScanner {

    private final SagaCoordinator coordinator;
    private final AtomicLong stuck = new AtomicLong();

    DeadlineScanner(SagaCoordinator coordinator, MeterRegistry registry) {
        this.coordinator = coordinator;
        Gauge.builder("shopflow.sagas.stuck", stuck, AtomicLong::get)
                .description("Sagas in state STUCK, waiting for an operator's retry or abort").register(registry);
    }

    /** Every instance reports the same database-wide count: alert on max(), not sum(). */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> countStuck() {
        return Tracing.untraced(() -> coordinator.count(PlaceOrderState.STUCK)).invoke(stuck::set).replaceWithVoid();
    }

    @Scheduled(every = "${shopflow.saga.scan-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scan() {
        // The scan itself is housekeeping; each expired saga's handling joins its order's trace.
        return Tracing.untraced(coordinator::expireDue).replaceWithVoid();
    }
}
