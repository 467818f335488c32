package io.shopflow.payment.adapter.messaging;

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

/** Consumes payment commands as the {@code payment-service} group. */
@Readiness
@Singleton
class PaymentConsumer extends ManagedConsumer {

    PaymentConsumer(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MessageSerde serde,
                      Mutiny.SessionFactory sessions, Inbox inbox, PaymentCommands commands, MeterRegistry registry, OpenTelemetry openTelemetry) {
        super(ConsumerSettings.defaults(bootstrapServers, ConsumerGroups.PAYMENT, List.of(Topics.PAYMENT_COMMANDS)),
                new InboxProcessor(ConsumerGroups.PAYMENT, serde, sessions, inbox, VertxContextSupport::subscribeAndAwait, commands,
                        openTelemetry),
                registry);
    }
}
