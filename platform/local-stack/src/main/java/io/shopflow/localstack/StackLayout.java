package io.shopflow.localstack;

import io.shopflow.contracts.KafkaConnection;
import io.shopflow.testing.KafkaBroker;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the local stack keeps its state and which ports it uses; {@code aotCaches}: the JDK AOT caches of the
 * Quarkus applications, which {@code up} trains (ADR 13), in the state folder unless {@code SHOPFLOW_LOCAL_AOT}
 * names another (stacks on other ports can share them). Everything lives under one
 * folder ({@code .local-stack/} in the repository by default): data that survives restarts,
 * one log file per process, and the pid files that {@code down} and {@code status} read.
 */
record StackLayout(Path root, Path repository, int postgresPort, int kafkaPort, int kafkaControllerPort,
                   int orderServicePort, int relayPort, int sagaInstances, int prometheusPort,
                   boolean prometheusWanted, String otlpEndpoint, Path aotCaches) {

    /**
     * The payment provider simulator's {@code /admin} token in the local stack: local development only (the
     * simulator listens on localhost); compose and Kubernetes take it from the environment.
     */
    static final String PROVIDER_ADMIN_TOKEN = "local-stack-dev";

    /** Ports of the other services, offsets from the order-service port (8080 -> 8081..8084, 8099). */
    int inventoryPort() {
        return orderServicePort + 1;
    }

    int paymentPort() {
        return orderServicePort + 2;
    }

    int notificationPort() {
        return orderServicePort + 3;
    }

    int sagaPort() {
        return orderServicePort + 4;
    }

    int providerPort() {
        return orderServicePort + 19;
    }

    static StackLayout fromEnvironment(Path repository) {
        Path root = Path.of(env("SHOPFLOW_LOCAL_HOME", repository.resolve(".local-stack").toString()));
        return new StackLayout(
                root,
                repository,
                Integer.parseInt(env("SHOPFLOW_LOCAL_PG_PORT", "15432")),
                Integer.parseInt(env("SHOPFLOW_LOCAL_KAFKA_PORT", "19092")),
                Integer.parseInt(env("SHOPFLOW_LOCAL_KAFKA_CONTROLLER_PORT", "19093")),
                Integer.parseInt(env("SHOPFLOW_LOCAL_ORDER_PORT", "8080")),
                Integer.parseInt(env("SHOPFLOW_LOCAL_RELAY_PORT", "8089")),
                Integer.parseInt(env("SHOPFLOW_LOCAL_SAGA_INSTANCES", "1")),
                Integer.parseInt(env("SHOPFLOW_LOCAL_PROMETHEUS_PORT", "9090")),
                !"off".equals(env("SHOPFLOW_LOCAL_PROMETHEUS", "auto")),
                env("SHOPFLOW_LOCAL_OTLP_ENDPOINT", ""),
                Path.of(env("SHOPFLOW_LOCAL_AOT", root.resolve("aot").toString())));
    }

    Path postgresData() {
        return root.resolve("data/postgres");
    }

    Path kafkaData() {
        return root.resolve("data/kafka");
    }

    Path prometheusData() {
        return root.resolve("data/prometheus");
    }

    /** The scrape configuration written for the local Prometheus (same jobs and rules as compose). */
    Path prometheusConfig() {
        return root.resolve("prometheus.yml");
    }

    Path logs() {
        return root.resolve("logs");
    }

    Path pids() {
        return root.resolve("pids");
    }

    Path readyMarker() {
        return root.resolve("infrastructure.ready");
    }

    String kafkaBootstrap() {
        return "localhost:" + kafkaPort;
    }

    /**
     * The launcher's own tools (demo, drills) on Kafka: the super user of the embedded broker. The applications
     * log in as themselves, with the development passwords of their application.properties (ADR 14).
     */
    KafkaConnection kafkaAdmin() {
        return KafkaConnection.scram(kafkaBootstrap(), KafkaBroker.ADMIN, KafkaBroker.password(KafkaBroker.ADMIN));
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + database;
    }

    String reactiveUrl(String database) {
        return "postgresql://localhost:" + postgresPort + "/" + database;
    }

    /** The services' databases, created on first start. */
    List<String> databases() {
        return List.of("orders", "inventory", "payments", "notifications", "sagas");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
