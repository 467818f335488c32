package io.shopflow.localstack.launcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One process of the local stack, and in {@link #all} the one description of them all: the infrastructure
 * (PostgreSQL with every {@link Service}'s database, and Kafka), the payment provider simulator, the five services
 * (the orchestrator in as many instances as {@code SHOPFLOW_LOCAL_SAGA_INSTANCES} asks for), the relay with a source
 * per service database, and Prometheus when wanted and installed. {@code up}, {@code down}, {@code status}, the
 * relay's sources, Prometheus's jobs, the demo, the drills, the invariant checker and the measurements all read it.
 *
 * @param name        the process's name: its log, its pid file, what {@code restart} and the drills take
 * @param kind        what it is
 * @param service     the service it runs, for the services and the orchestrator's extra instances
 * @param port        its HTTP port; for the infrastructure, PostgreSQL's
 */
public record StackProcess(String name, Kind kind, Optional<Service> service, int port) {

    /** What a process of the stack is; {@code up} starts them in this order (the infrastructure first, alone). */
    public enum Kind {
        INFRASTRUCTURE, PROVIDER_SIMULATOR, SERVICE, RELAY, PROMETHEUS
    }

    public static final String INFRASTRUCTURE = "infrastructure";
    public static final String PROVIDER_SIMULATOR = "provider-simulator";
    public static final String RELAY = "outbox-relay";
    public static final String PROMETHEUS = "prometheus";

    /** Every process of the stack on {@code layout}, in the order {@code up} starts them and {@code status} lists them. */
    public static List<StackProcess> all(StackLayout layout) {
        List<StackProcess> processes = new ArrayList<>();
        processes.add(new StackProcess(INFRASTRUCTURE, Kind.INFRASTRUCTURE, Optional.empty(), layout.postgresPort()));
        processes.add(new StackProcess(PROVIDER_SIMULATOR, Kind.PROVIDER_SIMULATOR, Optional.empty(),
                layout.providerPort()));
        for (Service service : Service.values()) {
            processes.add(new StackProcess(service.processName(), Kind.SERVICE, Optional.of(service),
                    layout.port(service)));
        }
        // More orchestrator instances share the work as members of its consumer group.
        for (int i = 2; i <= layout.sagaInstances(); i++) {
            processes.add(new StackProcess(Service.SAGA.processName() + "-" + i, Kind.SERVICE,
                    Optional.of(Service.SAGA), layout.port(Service.SAGA) + 10 * i));
        }
        processes.add(new StackProcess(RELAY, Kind.RELAY, Optional.empty(), layout.relayPort()));
        if (layout.prometheusWanted() && PrometheusConfig.binary().isPresent()) {
            processes.add(new StackProcess(PROMETHEUS, Kind.PROMETHEUS, Optional.empty(), layout.prometheusPort()));
        }
        return processes;
    }

    /**
     * The processes that run Shopflow's own code, one instance each: the services and the relay (what the drills
     * kill, what a trace spans).
     */
    public static List<String> applications() {
        return Stream.concat(Arrays.stream(Service.values()).map(Service::processName), Stream.of(RELAY)).toList();
    }

    /**
     * The application it runs, shared by the instances of one: a Quarkus application's module name (and AOT cache),
     * Prometheus's job name for it (as in compose); otherwise its name.
     */
    public String application() {
        return service.map(Service::processName).orElse(name);
    }

    /** A Quarkus application of the repository: a service or the relay. */
    public boolean isApplication() {
        return kind == Kind.SERVICE || kind == Kind.RELAY;
    }
}
