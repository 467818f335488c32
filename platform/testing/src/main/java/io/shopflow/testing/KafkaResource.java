package io.shopflow.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Quarkus test resource: the JVM-wide {@link KafkaBroker} as {@code kafka.bootstrap.servers}. The application
 * logs in as it does in the local stack, with its own principal and development password from its
 * {@code application.properties} ({@code kafka.sasl.jaas.config}), so its tests run with exactly its ACLs.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        KafkaBroker broker = KafkaBroker.shared();
        broker.start();
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        // Shared by the whole test JVM; stopped by its shutdown hook.
    }
}
