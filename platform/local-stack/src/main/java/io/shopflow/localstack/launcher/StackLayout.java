package io.shopflow.localstack.launcher;

import io.shopflow.contracts.KafkaConnection;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.PostgresServer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the local stack keeps its state and which ports it uses; {@code aotCaches}: the JDK AOT caches of the
 * Quarkus applications, which {@code up} trains (ADR 13), in the state folder unless {@code SHOPFLOW_LOCAL_AOT}
 * names another (stacks on other ports can share them). Everything lives under one
 * folder ({@code .local-stack/} in the repository by default): data that survives restarts,
 * one log file per process, and the pid files that {@code down} and {@code status} read. What runs on these ports
 * is {@link StackProcess#all}.
 */
public record StackLayout(Path root, Path repository, int postgresPort, int kafkaPort, int kafkaControllerPort,
                   int orderServicePort, int relayPort, int sagaInstances, int prometheusPort,
                   boolean prometheusWanted, String otlpEndpoint, Path aotCaches) {

    /**
     * The payment provider simulator's {@code /admin} token in the local stack: local development only (the
     * simulator listens on localhost); compose and Kubernetes take it from the environment.
     */
    public static final String PROVIDER_ADMIN_TOKEN = "local-stack-dev";

    /** The port of {@code service} (of its first instance): an offset from the order-service port (8080..8084). */
    public int port(Service service) {
        return orderServicePort + service.portOffset();
    }

    /** The payment provider simulator's port, 19 above the order-service port (8099). */
    public int providerPort() {
        return orderServicePort + 19;
    }

    /** The layout that {@code SHOPFLOW_LOCAL_*} (README) choose, with the stack's folder in {@code repository} by default. */
    public static StackLayout fromEnvironment(Path repository) {
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

    public Path postgresData() {
        return root.resolve("data/postgres");
    }

    public Path kafkaData() {
        return root.resolve("data/kafka");
    }

    public Path prometheusData() {
        return root.resolve("data/prometheus");
    }

    /** The scrape configuration written for the local Prometheus (same jobs and rules as compose). */
    public Path prometheusConfig() {
        return root.resolve("prometheus.yml");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path pids() {
        return root.resolve("pids");
    }

    /** Where the failure drills leave the infrastructure its orders ({@link Infrastructure#KAFKA_DOWN}, ...). */
    public Path control() {
        return root.resolve("control");
    }

    public Path readyMarker() {
        return root.resolve("infrastructure.ready");
    }

    public String kafkaBootstrap() {
        return "localhost:" + kafkaPort;
    }

    /**
     * The launcher's own tools (demo, drills) on Kafka: the super user of the embedded broker. The applications
     * log in as themselves, with the development passwords of their application.properties (ADR 14).
     */
    public KafkaConnection kafkaAdmin() {
        return KafkaConnection.scram(kafkaBootstrap(), KafkaBroker.ADMIN, KafkaBroker.password(KafkaBroker.ADMIN));
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + postgresPort + "/" + database;
    }

    String reactiveUrl(String database) {
        return "postgresql://localhost:" + postgresPort + "/" + database;
    }

    /** A connection to {@code database} as PostgreSQL's superuser: the launcher's own tools read every table. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), PostgresServer.USER, PostgresServer.PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
