package io.shopflow.relay.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.StartupEvent;
import io.shopflow.contracts.KafkaConnection;
import io.shopflow.relay.Relay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

import java.util.Map;

/** Runs the {@link Relay} for the life of the application. */
@Startup
@ApplicationScoped
class RelayService {

    private final RelayConfig config;
    private final Config kafkaConfig;
    private final MeterRegistry registry;
    private final OpenTelemetry openTelemetry;
    private volatile Relay relay;

    RelayService(RelayConfig config, Config kafkaConfig, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.registry = registry;
        this.openTelemetry = openTelemetry;
    }

    void start(@Observes StartupEvent event) {
        // The relay's identity: kafka.security.protocol, kafka.sasl.jaas.config, ... (KAFKA_SASL_JAAS_CONFIG; ADR 14).
        KafkaConnection kafka = KafkaConnection.fromConfig(config.kafka().bootstrapServers(),
                key -> kafkaConfig.getOptionalValue(key, String.class));
        relay = Relay.start(config.toSettings(kafka), registry, openTelemetry);
    }

    void stop(@Observes ShutdownEvent event) {
        Relay running = relay;
        relay = null;
        if (running != null) {
            running.close();
        }
    }

    boolean isStreaming() {
        Relay running = relay;
        return running != null && running.isStreaming();
    }

    boolean isAlive() {
        Relay running = relay;
        return running != null && running.isAlive();
    }

    Map<String, Boolean> streamingBySource() {
        Relay running = relay;
        return running == null ? Map.of() : running.streamingBySource();
    }
}
