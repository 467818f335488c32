package io.shopflow.localstack.launcher;

import java.util.Arrays;
import java.util.List;

/**
 * One of Shopflow's five services as the local stack runs it: its process (and module) name, its own database
 * (created by the infrastructure, read by the relay as one of its sources and by the invariant checker), its HTTP
 * port as an offset from order-service's, and where a user starts with it. Part of the one description of the
 * stack's processes, {@link StackProcess}.
 */
public enum Service {

    ORDER("order-service", "orders", "order", 0, "order API",
            "/orders  (OpenAPI: /q/openapi, health: /q/health, metrics: /q/metrics)"),
    INVENTORY("inventory-service", "inventory", "inventory", 1, "inventory", "/stock/{sku}"),
    PAYMENT("payment-service", "payments", "payment", 2, "payment", "/accounts/{customerId}"),
    NOTIFICATION("notification-service", "notifications", "notification", 3, "notifications",
            "/notifications?orderId={id}"),
    SAGA("saga-orchestrator", "sagas", "saga", 4, "sagas (ops)", "/sagas?state=STUCK");

    private final String processName;
    private final String database;
    private final String relaySource;
    private final int portOffset;
    private final String label;
    private final String entryPoint;

    Service(String processName, String database, String relaySource, int portOffset, String label,
            String entryPoint) {
        this.processName = processName;
        this.database = database;
        this.relaySource = relaySource;
        this.portOffset = portOffset;
        this.label = label;
        this.entryPoint = entryPoint;
    }

    /** The name of its process (of the first, for the orchestrator's instances), its module and its log. */
    public String processName() {
        return processName;
    }

    /** Its own database on the embedded PostgreSQL, owned by the role of that name. */
    public String database() {
        return database;
    }

    /** The name of the relay's source for its database ({@code shopflow.relay.sources.<name>.*}). */
    String relaySource() {
        return relaySource;
    }

    /** Its port's offset from order-service's ({@code SHOPFLOW_LOCAL_ORDER_PORT}). */
    int portOffset() {
        return portOffset;
    }

    /** Its module in the repository, where its Quarkus application is built. */
    String module() {
        return "services/" + processName;
    }

    /** How {@code up} names it in the list of addresses. */
    String label() {
        return label;
    }

    /** The path (and a note) {@code up} prints after its address: where a user starts. */
    String entryPoint() {
        return entryPoint;
    }

    /** Every service's database, created on the infrastructure's first start. */
    public static List<String> databases() {
        return Arrays.stream(values()).map(Service::database).toList();
    }
}
