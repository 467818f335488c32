package io.shopflow.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's local run, end to end, as a user runs it: {@code local-stack.sh up}, a demo
 * order that must reach Kafka through the relay and be APPROVED by the saga, {@code status},
 * {@code down}, and a second {@code up} on the same data folder. Runs on its own ports and folder, so a developer's
 * stack can keep running.
 */
class LocalStackIT {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final Path HOME = Path.of("target/it-local-stack").toAbsolutePath();
    private static final Map<String, String> ENV = Map.of(
            "SHOPFLOW_LOCAL_HOME", HOME.toString(),
            "SHOPFLOW_LOCAL_PG_PORT", "25432",
            "SHOPFLOW_LOCAL_KAFKA_PORT", "29092",
            "SHOPFLOW_LOCAL_KAFKA_CONTROLLER_PORT", "29093",
            "SHOPFLOW_LOCAL_ORDER_PORT", "28180",
            "SHOPFLOW_LOCAL_RELAY_PORT", "28189");

    @AfterAll
    static void stopEverything() throws Exception {
        run("down");
    }

    @Test
    void startsPlacesAnOrderThatReachesKafkaStopsAndRestartsOnTheSameData() throws Exception {
        Result up = run("up");
        assertThat(up.exitCode).as(up.output).isZero();
        assertThat(up.output).contains("infrastructure", "provider-simulator", "order-service", "inventory-service",
                "payment-service", "notification-service", "saga-orchestrator", "outbox-relay", "ready in");

        Result status = run("status");
        assertThat(status.output).containsPattern("order-service\\s+ready").containsPattern("outbox-relay\\s+ready");

        Result demo = run("demo");
        assertThat(demo.exitCode).as(demo.output).isZero();
        assertThat(demo.output).contains("PUT /stock/SKU-1 -> 200", "POST /orders -> 202",
                "\"status\":\"PENDING\"", "Kafka shopflow.order.events.v1", "traceparent: 00-",
                "saga RUNNING at AUTHORIZE_PAYMENT", "saga APPROVED at DONE");

        Result down = run("down");
        assertThat(down.output).contains("stopped").doesNotContain("killed");
        assertThat(run("status").output).doesNotContain("ready");
        assertThat(Files.list(HOME.resolve("logs")).map(p -> p.getFileName().toString()))
                .contains("infrastructure.log", "order-service.log", "notification-service.log", "outbox-relay.log");

        Result again = run("up");
        assertThat(again.exitCode).as(again.output).isZero();
        Result secondDemo = run("demo");
        assertThat(secondDemo.exitCode).as(secondDemo.output).isZero();
    }

    private static Result run(String command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", REPOSITORY.resolve("local-stack.sh").toString(), command));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(REPOSITORY.toFile()).redirectErrorStream(true);
        builder.environment().putAll(ENV);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        System.out.println("$ local-stack.sh " + command + "\n" + output);
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
