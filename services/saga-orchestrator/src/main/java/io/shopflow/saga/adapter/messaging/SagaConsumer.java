package io.shopflow.saga.adapter.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.messaging.ConsumerSettings;
import io.shopflow.messaging.InboxProcessor;
import io.shopflow.messaging.ReliableConsumer;
import io.shopflow.outbox.Inbox;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;

/**
 * Consumes order, inventory and payment events as the {@code saga-orchestrator} consumer group;
 * instances share partitions (keyed by order id), so each order's messages go to one instance.
 */
@Readiness
@ApplicationScoped
class SagaConsumer implements HealthCheck {

    static final String GROUP = "saga-orchestrator";

    private final ConsumerSettings settings;
    private final InboxProcessor processor;
    private final MeterRegistry registry;
    private volatile ReliableConsumer consumer;

    SagaConsumer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MessageSerde serde,
                 Mutiny.SessionFactory sessions, Inbox inbox, SagaEvents events, MeterRegistry registry) {
        this.settings = ConsumerSettings.defaults(bootstrapServers, GROUP,
                List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS));
        this.processor = new InboxProcessor(GROUP, serde, sessions, inbox, VertxContextSupport::subscribeAndAwait,
                events);
        this.registry = registry;
    }

    void start(@Observes StartupEvent event) {
        consumer = ReliableConsumer.start(settings, processor, registry);
    }

    void stop(@Observes ShutdownEvent event) {
        if (consumer != null) {
            consumer.close();
        }
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("saga-consumer").status(consumer != null && consumer.isRunning()).build();
    }
}
