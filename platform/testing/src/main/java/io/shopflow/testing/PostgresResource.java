package io.shopflow.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Quarkus test resource: a fresh database on the JVM-wide {@link PostgresServer}, wired
 * into the default datasource (JDBC for Flyway and the retention job, reactive for Hibernate
 * Reactive) with the roles production uses: Flyway migrates as the database's owner, the
 * service runs as its runtime role (rows only), so the tests show that role's rights suffice.
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
                "quarkus.datasource.username", PostgresServer.appRole(database),
                "quarkus.datasource.password", PostgresServer.PASSWORD,
                "quarkus.flyway.username", PostgresServer.owner(database),
                "quarkus.flyway.password", PostgresServer.PASSWORD,
                "shopflow.test.database", database);
    }

    @Override
    public void stop() {
        // The server outlives each Quarkus application: it is shared by the whole test JVM.
    }
}
