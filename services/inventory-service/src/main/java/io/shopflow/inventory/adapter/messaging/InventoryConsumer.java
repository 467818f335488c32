package io.shopflow.inventory.adapter.messaging;

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

/** Consumes inventory commands as the {@code inventory-service} group. */
@Readiness
@Singleton
class InventoryConsumer extends ManagedConsumer {

    InventoryConsumer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MessageSerde serde,
                      Mutiny.SessionFactory sessions, Inbox inbox, InventoryCommands commands, MeterRegistry registry, OpenTelemetry openTelemetry) {
        super(ConsumerSettings.defaults(bootstrapServers, ConsumerGroups.INVENTORY, List.of(Topics.INVENTORY_COMMANDS)),
                new InboxProcessor(ConsumerGroups.INVENTORY, serde, sessions, inbox, VertxContextSupport::subscribeAndAwait, commands,
                        openTelemetry),
                registry);
    }
}
