package io.shopflow.notification.adapter.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.vertx.VertxContextSupport;
import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.messaging.ConsumerSettings;
import io.shopflow.messaging.InboxProcessor;
import io.shopflow.messaging.cdi.ManagedConsumer;
import io.shopflow.notification.application.NotificationFeed;
import io.shopflow.outbox.Inbox;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.Readiness;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;

/** Consumes order events as the {@code notification-service} group. */
@Readiness
@Singleton
class NotificationConsumer extends ManagedConsumer {

    NotificationConsumer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MessageSerde serde,
                         Mutiny.SessionFactory sessions, Inbox inbox, OrderOutcomes outcomes, NotificationFeed feed,
                         MeterRegistry registry, OpenTelemetry openTelemetry) {
        super(ConsumerSettings.defaults(bootstrapServers, ConsumerGroups.NOTIFICATION, List.of(Topics.ORDER_EVENTS)),
                // Each message's transaction runs inside the feed, which publishes what it recorded once committed.
                new InboxProcessor(ConsumerGroups.NOTIFICATION, serde, sessions, inbox,
                        work -> VertxContextSupport.subscribeAndAwait(() -> feed.publishingAfterCommit(work)),
                        outcomes, openTelemetry),
                registry);
    }
}
