package io.shopflow.saga.adapter.messaging;

import io.quarkus.scheduler.Scheduled;
import io.shopflow.saga.application.SagaCoordinator;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Expires due deadlines on every instance; row locks make each due saga one instance's work. */
@ApplicationScoped
class DeadlineScanner {

    private final SagaCoordinator coordinator;

    DeadlineScanner(SagaCoordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Scheduled(every = "${shopflow.saga.scan-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scan() {
        return coordinator.expireDue().replaceWithVoid();
    }
}
