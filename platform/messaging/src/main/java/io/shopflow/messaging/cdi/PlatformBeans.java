package io.shopflow.messaging.cdi;

import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.contracts.serde.SerdeConfig;
import io.shopflow.outbox.Inbox;
import io.shopflow.outbox.OutboxWriter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The platform beans every service injects, configured from its application.properties:
 * the {@link MessageSerde} of {@code shopflow.serde.mode} (and {@code apicurio.registry.url}),
 * the {@link OutboxWriter}, the {@link Inbox} and the UTC {@link Clock}. Standard CDI and
 * MicroProfile Config only.
 */
@ApplicationScoped
public class PlatformBeans {

    @Produces
    @ApplicationScoped
    MessageSerde serde(@ConfigProperty(name = SerdeConfig.MODE, defaultValue = "catalog") String mode,
                       @ConfigProperty(name = SerdeConfig.REGISTRY_URL) Optional<String> registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.MODE, mode);
        registryUrl.ifPresent(url -> config.put(SerdeConfig.REGISTRY_URL, url));
        return MessageSerde.fromConfig(config);
    }

    @Produces
    @ApplicationScoped
    OutboxWriter outboxWriter(MessageSerde serde) {
        return new OutboxWriter(serde);
    }

    @Produces
    @ApplicationScoped
    Inbox inbox() {
        return new Inbox();
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }
}
