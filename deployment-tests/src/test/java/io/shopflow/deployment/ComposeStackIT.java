package io.shopflow.deployment;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.shopflow.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code docker compose up} for real, the way the README's quick start runs it where nothing can be
 * pulled: {@code infra/compose.sh up} builds the stand-in images and every application image from
 * source and starts compose.yaml with compose.stand-ins.yaml over it, waiting for every healthcheck.
 * Then orders go through the published order API with minted development tokens and end APPROVED
 * or REJECTED, Prometheus scrapes every target, every container has the memory limit compose.yaml
 * gives it, no image a rebuild replaced is left behind, and a crashed saga-orchestrator is restarted by its
 * restart policy and finishes the sagas it had started. {@code down -v} at the end, and the engine
 * stopped if the script started it.
 *
 * <p>Runs where a Docker engine answers. Where none does, it is skipped, visibly, unless
 * {@code -Dshopflow.compose.startEngine=true} (or {@code SHOPFLOW_COMPOSE_START_ENGINE=true}, which
 * .ci/run sets) lets the script install Debian's docker.io and
 * docker-compose and start a dockerd (root and apt-get needed; skipped where those are missing
 * too), which {@code down} stops again. Set {@code SHOPFLOW_BUILD_LOCK} to run the builds under a
 * shared lock.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeStackIT {

    private static final Path SCRIPT = Repository.path("infra/compose.sh");
    /** The script's exit code when no engine can be had here. */
    private static final int NO_ENGINE = 3;
    private static final Duration ORDER_DONE = Duration.ofMinutes(2);
    private static final String ORDERS = "http://127.0.0.1:8080";
    private static final String PROMETHEUS = "http://127.0.0.1:9090";

    private static boolean started;

    @BeforeAll
    static void up() throws Exception {
        boolean answers = Repository.onPath("docker") && run(Duration.ofMinutes(1), List.of("docker", "info")).code() == 0;
        Assumptions.assumeTrue(answers || Boolean.getBoolean("shopflow.compose.startEngine")
                        || "true".equals(System.getenv("SHOPFLOW_COMPOSE_START_ENGINE")),
                "No Docker engine answers; -Dshopflow.compose.startEngine=true lets infra/compose.sh start one");
        Result engine = script(Duration.ofMinutes(10), "engine");
        Assumptions.assumeTrue(engine.code() != NO_ENGINE,
                "No Docker engine, or not the tools infra/compose.sh needs, and no way to install them here: "
                        + engine.output());
        assertThat(engine.code()).as("infra/compose.sh engine: %s", engine.output()).isZero();
        started = true;
        Result up = script(Duration.ofMinutes(90), "up");
        assertThat(up.code()).as("infra/compose.sh up: %s", up.output()).isZero();
    }

    @AfterAll
    static void down() throws Exception {
        if (started) {
            Result down = script(Duration.ofMinutes(5), "down");
            assertThat(down.code()).as("infra/compose.sh down: %s", down.output()).isZero();
        }
    }

    @Test
    @Order(1)
    void ordersPlacedThroughThePublishedApiEndApprovedOrRejected() throws Exception {
        stock("COMPOSE-1", 100);
        List<String> approved = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            approved.add(place("compose-" + i, "COMPOSE-1", 1));
        }
        String rejected = place("compose-big", "COMPOSE-1", 1000);

        for (int i = 0; i < approved.size(); i++) {
            assertThat(finalState("compose-" + i, approved.get(i)).getString("status")).isEqualTo("APPROVED");
        }
        JsonPath order = finalState("compose-big", rejected);
        assertThat(order.getString("status")).isEqualTo("REJECTED");
        assertThat(order.getString("rejectionReason")).isEqualTo("OUT_OF_STOCK");
    }

    @Test
    @Order(2)
    void prometheusScrapesEveryTargetOfItsConfiguration() {
        Set<String> jobs = Repository.read("infra/prometheus/prometheus.yml").lines()
                .map(String::trim).filter(l -> l.startsWith("- job_name:"))
                .map(l -> l.substring("- job_name:".length()).trim()).collect(Collectors.toSet());
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            List<Map<String, Object>> targets = RestAssured.get(PROMETHEUS + "/api/v1/targets?state=active")
                    .then().statusCode(200).extract().jsonPath().getList("data.activeTargets");
            assertThat(targets.stream().map(t -> ((Map<?, ?>) t.get("labels")).get("job")).collect(Collectors.toSet()))
                    .as("jobs scraped").isEqualTo(jobs);
            assertThat(targets).as("every target up").allSatisfy(t ->
                    assertThat(t.get("health")).as("%s: %s", t.get("scrapeUrl"), t.get("lastError")).isEqualTo("up"));
        });
    }

    @Test
    @Order(3)
    void everyContainerRunsWithinTheMemoryLimitComposeYamlGivesIt() throws Exception {
        Compose compose = Compose.read("compose.yaml");
        for (String service : compose.services().keySet()) {
            long limit = compose.memoryLimit(service).orElseThrow(() -> new AssertionError(service + " has no memory limit"));
            assertThat(Long.parseLong(docker("inspect", "-f", "{{ .HostConfig.Memory }}", container(service))))
                    .as("%s's memory limit", service).isEqualTo(limit);
        }
    }

    @Test
    @Order(4)
    void aRebuildLeavesNoImageItReplacedBehind() throws Exception {
        String label = "io.shopflow.built-by=infra/compose.sh";
        for (String application : List.of("order-service", "outbox-relay", "payment-provider-simulator")) {
            assertThat(docker("image", "inspect", "-f", "{{ index .Config.Labels \"io.shopflow.built-by\" }}",
                    "shopflow/" + application + ":dev")).as("%s's label", application).isEqualTo("infra/compose.sh");
        }
        assertThat(docker("images", "-q", "--filter", "dangling=true", "--filter", "label=" + label))
                .as("unnamed images of ours").isEmpty();
    }

    @Test
    @Order(5)
    void aCrashedSagaOrchestratorIsRestartedAndFinishesItsSagas() throws Exception {
        stock("COMPOSE-2", 100);
        String container = container("saga-orchestrator");
        int restarts = Integer.parseInt(docker("inspect", "-f", "{{ .RestartCount }}", container));
        List<String> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(place("compose-crash-" + i, "COMPOSE-2", 1));
        }
        // A crash, not a stop: the JVM is killed from outside (docker kill would count as a manual
        // stop, which the restart policy respects).
        long pid = Long.parseLong(docker("inspect", "-f", "{{ .State.Pid }}", container));
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(Integer.parseInt(docker("inspect", "-f", "{{ .RestartCount }}", container)))
                    .as("restarted by its restart policy").isGreaterThan(restarts);
            assertThat(docker("inspect", "-f", "{{ .State.Health.Status }}", container)).isEqualTo("healthy");
        });
        for (int i = 0; i < placed.size(); i++) {
            assertThat(finalState("compose-crash-" + i, placed.get(i)).getString("status")).isEqualTo("APPROVED");
        }
    }

    private static void stock(String sku, int available) throws Exception {
        String inventory = "http://" + address("inventory-service") + ":8081";
        RestAssured.given().auth().oauth2(TestTokens.ops()).contentType(ContentType.JSON)
                .body("{\"available\":" + available + ",\"priceCents\":250}")
                .put(inventory + "/stock/" + sku).then().statusCode(200);
    }

    private static String place(String customer, String sku, int quantity) {
        return RestAssured.given().auth().oauth2(TestTokens.customer(customer)).contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"customerId\":\"" + customer + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":"
                        + quantity + "}]}")
                .post(ORDERS + "/orders").then().statusCode(202).extract().path("orderId");
    }

    /** The order once its saga has ended (APPROVED or REJECTED). */
    private static JsonPath finalState(String customer, String orderId) {
        return await().atMost(ORDER_DONE).pollInterval(Duration.ofSeconds(1)).until(
                () -> RestAssured.given().auth().oauth2(TestTokens.customer(customer)).get(ORDERS + "/orders/" + orderId)
                        .then().statusCode(200).extract().jsonPath(),
                order -> !"PENDING".equals(order.getString("status")));
    }

    /** A service's container on the compose network (only the order API is published on the host). */
    private static String address(String service) throws Exception {
        return docker("inspect", "-f", "{{ range .NetworkSettings.Networks }}{{ .IPAddress }}{{ end }}",
                container(service));
    }

    private static String container(String service) throws Exception {
        Result ps = script(Duration.ofMinutes(1), "compose", "ps", "-q", service);
        assertThat(ps.code()).as("compose ps %s: %s", service, ps.output()).isZero();
        return ps.output().trim();
    }

    private static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Result result = run(Duration.ofMinutes(1), command);
        assertThat(result.code()).as("%s: %s", command, result.output()).isZero();
        return result.output().trim();
    }

    private static Result script(Duration timeout, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    private record Result(int code, String output) {
    }

    /** Runs a command, its output (stdout and stderr) kept in a file and echoed to this test's log. */
    private static Result run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("compose-stack", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(Repository.ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within " + timeout + ": "
                        + Files.readString(output, StandardCharsets.UTF_8));
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (command.contains(SCRIPT.toString()) && !command.contains("-q")) {
                System.out.print(text);
            }
            return new Result(process.exitValue(), text);
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
