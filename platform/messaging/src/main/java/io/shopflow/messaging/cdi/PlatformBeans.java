package io.shopflow.messaging.cdi;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.opentelemetry.api.OpenTelemetry;
import io.shopflow.contracts.KafkaConnection;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.contracts.serde.SerdeConfig;
import io.shopflow.outbox.Inbox;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.RetentionPolicy;
import io.shopflow.outbox.UnitsOfWork;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The platform beans every service injects, configured from its application.properties:
 * the {@link KafkaConnection} of its Kafka clients, the {@link MessageSerde} of {@code shopflow.serde.mode}
 * (and {@code apicurio.registry.url}), the {@link OutboxWriter}, the {@link Inbox} and its {@link RetentionPolicy},
 * the {@link UnitsOfWork} of use cases (ADR 15), the UTC {@link Clock} and HTTP latency histograms.
 * Standard CDI and MicroProfile Config only.
 */
@ApplicationScoped
public class PlatformBeans {

    /**
     * How every Kafka client of the service connects: {@code kafka.bootstrap.servers} and the service's own
     * identity, {@code kafka.security.protocol}, {@code kafka.sasl.mechanism}, {@code kafka.sasl.jaas.config},
     * ... (environment: {@code KAFKA_SASL_JAAS_CONFIG}, ...; ADR 14).
     */
    @Produces
    @Singleton
    KafkaConnection kafka(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, Config config) {
        return KafkaConnection.fromConfig(bootstrapServers, key -> config.getOptionalValue(key, String.class));
    }

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
    OutboxWriter outboxWriter(MessageSerde serde, OpenTelemetry openTelemetry) {
        return new OutboxWriter(serde, openTelemetry);
    }

    /**
     * The inbox, which remembers a processed message for {@code shopflow.retention.inbox} (ADR 12):
     * longer than the retention of every topic the service consumes, which {@link ConsumerBindings}
     * checks at start.
     */
    @Produces
    @ApplicationScoped
    Inbox inbox(@ConfigProperty(name = "shopflow.retention.inbox", defaultValue = "8d") Duration window, Clock clock) {
        return new Inbox(window, clock);
    }

    /** The inbox's rows are pruned by the {@link RetentionJob} like every other {@link RetentionPolicy} bean. */
    @Produces
    @Singleton
    RetentionPolicy inboxRetention(Inbox inbox) {
        return inbox.retentionPolicy();
    }

    /** How a use case that starts on its own opens its transaction (ADR 15). */
    @Produces
    @ApplicationScoped
    UnitsOfWork unitsOfWork(Mutiny.SessionFactory sessions) {
        return UnitsOfWork.of(sessions);
    }

    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Histogram buckets for {@code http_server_requests_seconds}, so that dashboards and alerts
     * compute latency quantiles across instances with {@code histogram_quantile}; Quarkus applies
     * every {@link MeterFilter} bean to its registries.
     */
    @Produces
    @Singleton
    MeterFilter httpServerHistograms() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals("http.server.requests")
                        ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
                        : config;
            }
        };
    }
}
