package io.shopflow.localstack.launcher;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The one description of the stack's processes, and what the launcher starts from it. */
class StackProcessTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();

    @Test
    void describesEveryProcessOnceWithThePortsOfTheLayout() {
        List<StackProcess> processes = StackProcess.all(layout(3));

        assertThat(processes).extracting(StackProcess::name).doesNotHaveDuplicates().startsWith("infrastructure",
                "provider-simulator", "order-service", "inventory-service", "payment-service",
                "notification-service", "saga-orchestrator", "saga-orchestrator-2", "saga-orchestrator-3",
                "outbox-relay");
        assertThat(processes).filteredOn(StackProcess::isApplication)
                .extracting(p -> p.application() + ":" + p.port()).containsExactly("order-service:8080",
                        "inventory-service:8081", "payment-service:8082", "notification-service:8083",
                        "saga-orchestrator:8084", "saga-orchestrator:8104", "saga-orchestrator:8114", "outbox-relay:8089");
        assertThat(StackProcess.applications()).containsExactly("order-service", "inventory-service",
                "payment-service", "notification-service", "saga-orchestrator", "outbox-relay");
        assertThat(Service.databases()).containsExactly("orders", "inventory", "payments", "notifications", "sagas");
    }

    @Test
    void theRelayHasASourcePerServiceDatabaseAndEachServiceItsOwnDatabase() {
        List<Component> components = new Launcher(layout(1)).components();
        List<String> relay = command(components, "outbox-relay");

        for (Service service : Service.values()) {
            assertThat(relay).contains("-Dshopflow.relay.sources." + service.relaySource()
                    + ".jdbc-url=jdbc:postgresql://localhost:15432/" + service.database());
            assertThat(command(components, service.processName())).contains(
                    "-Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:15432/" + service.database(),
                    "-Dquarkus.http.port=" + (8080 + service.portOffset()));
        }
        assertThat(relay.stream().filter(s -> s.endsWith(".jdbc-url=jdbc:postgresql://localhost:15432/orders")))
                .hasSize(1);
    }

    @Test
    void startsTheSimulatorJarOfTheVersionThePomBuilds() throws Exception {
        String jar = command(new Launcher(layout(1)).components(), "provider-simulator").get(3);
        String version = Path.of(jar).getFileName().toString()
                .replaceFirst("^payment-provider-simulator-(.+)\\.jar$", "$1");

        assertThat(jar).startsWith(REPOSITORY.resolve("platform/payment-provider-simulator/target") + "/");
        assertThat(Files.readString(REPOSITORY.resolve("pom.xml"))).contains("<version>" + version + "</version>");
        assertThat(version).doesNotContain("$");
    }

    private static List<String> command(List<Component> components, String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow().command();
    }

    private static StackLayout layout(int sagaInstances) {
        return new StackLayout(Path.of("/tmp/stack-layout-test"), REPOSITORY, 15432, 19092, 19093, 8080, 8089,
                sagaInstances, 9090, false, "", Path.of("/tmp/stack-layout-test/aot"));
    }
}
