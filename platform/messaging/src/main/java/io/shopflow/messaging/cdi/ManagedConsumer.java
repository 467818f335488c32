package io.shopflow.messaging.cdi;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.shopflow.messaging.ConsumerSettings;
import io.shopflow.messaging.RecordProcessor;
import io.shopflow.messaging.ReliableConsumer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * A {@link ReliableConsumer} that starts when the Quarkus application has started, leaves its
 * group when the application stops, and is a readiness check. A service subclasses it as a {@code @Singleton}
 * {@code @Readiness} bean, passing its topics, group and processor.
 */
public abstract class ManagedConsumer implements HealthCheck {

    private final ConsumerSettings settings;
    private final RecordProcessor processor;
    private final MeterRegistry registry;
    private volatile ReliableConsumer consumer;

    protected ManagedConsumer(ConsumerSettings settings, RecordProcessor processor, MeterRegistry registry) {
        this.settings = settings;
        this.processor = processor;
        this.registry = registry;
    }

    /**
     * Joins the group once the application has started: earlier, Vert.x and the Hibernate
     * Reactive session factory the processor needs may not exist yet.
     */
    void start(@Observes StartupEvent applicationStarted) {
        consumer = ReliableConsumer.start(settings, processor, registry);
    }

    @PreDestroy
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
    }

    /** Where this consumer's dead letters go. */
    public String deadLetterTopic() {
        return settings.deadLetterTopic();
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("consumer-" + settings.groupId())
                .status(consumer != null && consumer.isRunning()).build();
    }
}
