package io.shopflow.saga.adapter.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.vertx.VertxContextSupport;
import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.messaging.ConsumerSettings;
import io.shopflow.messaging.InboxProcessor;
import io.shopflow.messaging.cdi.ManagedConsumer;
import io.shopflow.outbox.Inbox;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;

/**
 * Consumes order, inventory and payment events as the {@code saga-orchestrator} consumer group;
 * instances share partitions (keyed by order id), so each order's messages go to one instance.
 */
@Readiness
@Singleton
class SagaConsumer extends ManagedConsumer {

    SagaConsumer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MessageSerde serde,
                 Mutiny.SessionFactory sessions, Inbox inbox, SagaEvents events, MeterRegistry registry, OpenTelemetry openTelemetry) {
        super(ConsumerSettings.defaults(bootstrapServers, ConsumerGroups.SAGA,
                        List.of(Topics.ORDER_EVENTS, Topics.INVENTORY_EVENTS, Topics.PAYMENT_EVENTS)),
                new InboxProcessor(ConsumerGroups.SAGA, serde, sessions, inbox, VertxContextSupport::subscribeAndAwait, events,
                        openTelemetry),
                registry);
    }
}
