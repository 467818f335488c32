package io.shopflow.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Quarkus test resource: a fresh database on the JVM-wide {@link PostgresServer}, wired
 * into the default datasource (JDBC for Flyway, reactive for Hibernate Reactive).
 *
 * <p>Init arg {@code database} names it (default {@code app}); it is dropped and created
 * anew when the resource starts, so each test profile begins empty.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String database = "app";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        PostgresServer server = PostgresServer.shared();
        server.dropDatabase(database);
        server.createDatabase(database);
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(database),
                "quarkus.datasource.reactive.url", server.reactiveUrl(database),
                "quarkus.datasource.username", PostgresServer.USER,
                "quarkus.datasource.password", PostgresServer.PASSWORD,
                "shopflow.test.database", database);
    }

    @Override
    public void stop() {
        // The server outlives each Quarkus application: it is shared by the whole test JVM.
    }
}
