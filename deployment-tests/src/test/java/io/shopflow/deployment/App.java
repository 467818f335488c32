package io.shopflow.deployment;

import io.shopflow.contracts.KafkaConnection;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One deployable Shopflow application: its module, its configuration (the keys of its
 * {@code application.properties}, in every profile) and what follows from it: HTTP port,
 * database.
 */
record App(String name, String module, Optional<String> database) {

    /** The five services, each with its own database. */
    static final List<App> SERVICES = List.of(
            new App("order-service", "services/order-service", Optional.of("orders")),
            new App("inventory-service", "services/inventory-service", Optional.of("inventory")),
            new App("payment-service", "services/payment-service", Optional.of("payments")),
            new App("notification-service", "services/notification-service", Optional.of("notifications")),
            new App("saga-orchestrator", "services/saga-orchestrator", Optional.of("sagas")));

    static final App RELAY = new App("outbox-relay", "platform/outbox-relay", Optional.empty());

    /** Every Quarkus application: the services and the relay. */
    static final List<App> QUARKUS_APPS = Stream.concat(SERVICES.stream(), Stream.of(RELAY)).toList();

    /** The relay's source names and their databases (slot {@code shopflow_relay_<source>}). */
    static final List<List<String>> RELAY_SOURCES = List.of(List.of("order", "orders"),
            List.of("inventory", "inventory"), List.of("payment", "payments"),
            List.of("notification", "notifications"), List.of("saga", "sagas"));

    Properties properties() {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Repository.read(module + "/src/main/resources/application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    int httpPort() {
        return Integer.parseInt(properties().getProperty("quarkus.http.port"));
    }

    /** The configuration keys this app declares, without profile prefixes. */
    Set<String> configurationKeys() {
        return properties().stringPropertyNames().stream()
                .map(key -> key.startsWith("%") ? key.substring(key.indexOf('.') + 1) : key)
                .collect(Collectors.toSet());
    }

    /**
     * Whether an environment variable sets one of this app's configuration keys, by SmallRye
     * Config's rule (the key upper-cased with every character that is not a letter or digit
     * replaced by {@code _}), is one of the Kafka security properties every app reads
     * ({@code kafka.<key>} of {@link KafkaConnection#SECURITY_KEYS}), or is referenced by its
     * configuration as {@code ${VARIABLE}}.
     */
    boolean readsEnvironmentVariable(String variable) {
        return Stream.concat(configurationKeys().stream(), KafkaConnection.SECURITY_KEYS.stream().map(k -> "kafka." + k))
                .map(App::environmentName).anyMatch(variable::equals)
                || Repository.read(module + "/src/main/resources/application.properties")
                .matches("(?s).*\\$\\{" + Pattern.quote(variable) + "[:}].*");
    }

    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }
}
