package io.shopflow.relay.app;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.shopflow.testing.PostgresServer;
import org.flywaydb.core.Flyway;

import java.util.Map;

/** A fresh {@code relay_app} database, migrated by its owner, as the app's {@code order} source, read as the relay's role. */
public class RelaySourceResource implements QuarkusTestResourceLifecycleManager {

    static final String DATABASE = "relay_app";

    @Override
    public Map<String, String> start() {
        PostgresServer server = PostgresServer.shared();
        server.dropDatabase(DATABASE);
        server.createDatabase(DATABASE);
        Flyway.configure()
                .dataSource(server.jdbcUrl(DATABASE), PostgresServer.owner(DATABASE), PostgresServer.PASSWORD)
                .locations("classpath:db/shopflow-outbox")
                .load()
                .migrate();
        return Map.of("shopflow.relay.sources.order.jdbc-url", server.jdbcUrl(DATABASE),
                "shopflow.relay.sources.order.username", PostgresServer.RELAY_ROLE,
                "shopflow.relay.sources.order.password", PostgresServer.PASSWORD);
    }

    @Override
    public void stop() {
        // The server is shared by the test JVM.
    }
}
