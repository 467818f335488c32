package io.shopflow.order.adapter.messaging;

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
 * Consumes the order commands as the {@code order-service} group (retries on
 * {@code shopflow.order-service.retry}, dead letters on {@code shopflow.order-service.dlq}).
 */
@Readiness
@Singleton
class OrderConsumer extends ManagedConsumer {

    OrderConsumer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MessageSerde serde,
                  Mutiny.SessionFactory sessions, Inbox inbox, OrderCommands commands, MeterRegistry registry, OpenTelemetry openTelemetry) {
        super(ConsumerSettings.defaults(bootstrapServers, ConsumerGroups.ORDER, List.of(Topics.ORDER_COMMANDS)),
                new InboxProcessor(ConsumerGroups.ORDER, serde, sessions, inbox, VertxContextSupport::subscribeAndAwait, commands,
                        openTelemetry),
                registry);
    }
}
