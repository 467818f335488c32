package io.shopflow.messaging.cdi;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.shopflow.contracts.KafkaConnection;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.messaging.ConsumerSettings;
import io.shopflow.messaging.InboxProcessor;
import io.shopflow.messaging.MessageHandler;
import io.shopflow.messaging.RecordProcessor;
import io.shopflow.messaging.TopicRetention;
import io.shopflow.messaging.ReliableConsumer;
import io.shopflow.outbox.Inbox;
import io.smallrye.health.api.HealthRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The service's consumers, as its {@link MessageHandler} beans declare them with
 * {@link ConsumerBinding}: one {@link ReliableConsumer} per binding, with
 * {@link ConsumerSettings#defaults the default settings} of its group and an {@link InboxProcessor}
 * that runs the handler's transactions on Vert.x ({@code VertxContextSupport}) inside
 * {@link MessageHandler#aroundTransaction}. Each starts when the application has started, leaves its
 * group when the application stops, and is the readiness check {@code consumer-<group>}.
 *
 * <p>The service fails to start when two bindings declare the same group, or a binding declares
 * no topics or a blank group or topic.
 */
@Singleton
public class ConsumerBindings {

    private static final Logger LOG = Logger.getLogger(ConsumerBindings.class);
    private static final Duration RETENTION_CHECK_TIMEOUT = Duration.ofSeconds(10);

    /** What a handler bean's class declares. */
    record Binding(Class<?> beanClass, String group, List<String> topics) {

        @Override
        public String toString() {
            return "@ConsumerBinding(group = \"" + group + "\", topics = " + topics + ") on " + beanClass.getName();
        }
    }

    private final List<Managed> consumers;
    private final HealthRegistry readiness;
    private final KafkaConnection kafka;
    private final Inbox inbox;

    ConsumerBindings(@Any Instance<MessageHandler> handlers,
                     KafkaConnection kafka, MessageSerde serde,
                     Mutiny.SessionFactory sessions, Inbox inbox, MeterRegistry registry, OpenTelemetry openTelemetry,
                     @Readiness HealthRegistry readiness) {
        this.readiness = readiness;
        this.kafka = kafka;
        this.inbox = inbox;
        // The bean's class, not the instance's: an application-scoped handler is injected as a
        // client proxy, a generated subclass that does not carry the annotation.
        Map<Class<?>, Instance.Handle<MessageHandler>> byBeanClass = new HashMap<>();
        handlers.handles().forEach(handle -> byBeanClass.put(handle.getBean().getBeanClass(), handle));
        List<Managed> consumers = new ArrayList<>();
        for (Binding binding : declared(byBeanClass.keySet())) {
            MessageHandler handler = byBeanClass.get(binding.beanClass()).get();
            consumers.add(new Managed(
                    ConsumerSettings.defaults(kafka, binding.group(), binding.topics()),
                    new InboxProcessor(binding.group(), binding.topics(), serde, sessions, inbox,
                            VertxContextSupport::subscribeAndAwait, handler, openTelemetry),
                    registry));
        }
        this.consumers = List.copyOf(consumers);
    }

    /**
     * The bindings that {@code beanClasses} declare, ordered by group; a class without
     * {@link ConsumerBinding} declares none.
     *
     * @throws IllegalStateException naming the classes, when a binding declares a blank group, no
     *         topics or a blank topic, or two declare the same group
     */
    static List<Binding> declared(Collection<Class<?>> beanClasses) {
        Map<String, Binding> byGroup = new TreeMap<>();
        for (Class<?> beanClass : beanClasses) {
            ConsumerBinding annotation = beanClass.getAnnotation(ConsumerBinding.class);
            if (annotation == null) {
                LOG.warnf("%s is a MessageHandler bean without @ConsumerBinding: it consumes nothing",
                        beanClass.getName());
                continue;
            }
            Binding binding = new Binding(beanClass, annotation.group(), List.of(annotation.topics()));
            if (binding.group().isBlank()) {
                throw new IllegalStateException(binding + " has a blank group: name one of "
                        + "io.shopflow.contracts.ConsumerGroups");
            }
            if (binding.topics().isEmpty() || binding.topics().stream().anyMatch(String::isBlank)) {
                throw new IllegalStateException(binding + " declares no topics or a blank one: name at least one, "
                        + "each a constant of io.shopflow.contracts.Topics");
            }
            Binding other = byGroup.putIfAbsent(binding.group(), binding);
            if (other != null) {
                throw new IllegalStateException("Consumer group \"" + binding.group() + "\" is declared twice, by "
                        + other.beanClass().getName() + " and " + beanClass.getName() + ": a group has exactly one "
                        + "binding (its offsets, retry topic and dead-letter topic are its own); give one of them "
                        + "another group, or let one handler dispatch both topics");
            }
        }
        return List.copyOf(byGroup.values());
    }

    /**
     * Joins the groups once the application has started: earlier, Vert.x and the Hibernate
     * Reactive session factory the processors need may not exist yet. First fails the start when a
     * consumed topic, retry topics included, keeps records as long as the inbox remembers them
     * ({@link TopicRetention}).
     */
    void start(@Observes StartupEvent applicationStarted) {
        TopicRetention.check(kafka, consumers.stream()
                .flatMap(c -> Stream.concat(c.settings().topics().stream(), Stream.of(c.settings().retryTopic())))
                .toList(), inbox.window(), RETENTION_CHECK_TIMEOUT);
        for (Managed consumer : consumers) {
            readiness.register(consumer.name(), consumer);
            consumer.start();
        }
    }

    @PreDestroy
    void stop() {
        consumers.forEach(Managed::close);
    }

    /** The settings of every consumer of the service, one per group (topics, retry and dead-letter topic). */
    public List<ConsumerSettings> settings() {
        return consumers.stream().map(Managed::settings).toList();
    }

    /** One binding's consumer and its readiness check. */
    private static final class Managed implements HealthCheck {

        private final ConsumerSettings settings;
        private final RecordProcessor processor;
        private final MeterRegistry registry;
        private volatile ReliableConsumer consumer;

        Managed(ConsumerSettings settings, RecordProcessor processor, MeterRegistry registry) {
            this.settings = settings;
            this.processor = processor;
            this.registry = registry;
        }

        ConsumerSettings settings() {
            return settings;
        }

        String name() {
            return "consumer-" + settings.groupId();
        }

        void start() {
            consumer = ReliableConsumer.start(settings, processor, registry);
        }

        void close() {
            if (consumer != null) {
                consumer.close();
            }
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.named(name()).status(consumer != null && consumer.isRunning()).build();
        }
    }
}
