package io.shopflow.contracts;

import java.util.List;

/**
 * Kafka consumer group ids, one per service: a service's identity as a consumer. Other parts of
 * the system depend on them beside the service itself (the saga's backlog probe reads the
 * participants' lag, deployment manifests and ACLs name them), so they are constants here, as
 * the topics are. Each group also has {@code shopflow.<group>.retry} and {@code shopflow.<group>.dlq}.
 */
public final class ConsumerGroups {

    public static final String ORDER = "order-service";
    public static final String INVENTORY = "inventory-service";
    public static final String PAYMENT = "payment-service";
    public static final String NOTIFICATION = "notification-service";
    public static final String SAGA = "saga-orchestrator";

    /** Every group above. */
    public static final List<String> ALL = List.of(ORDER, INVENTORY, PAYMENT, NOTIFICATION, SAGA);

    private ConsumerGroups() {
    }
}
