package io.shopflow.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The no-Docker local run: {@code up} starts an embedded PostgreSQL and a Kafka broker (one
 * infrastructure process), then the services and the relay as local processes, each waited
 * for until healthy; {@code down} stops them in reverse order; {@code status} shows what
 * runs; {@code demo} places an order and follows it to Kafka. State, logs and pid files live
 * under {@code .local-stack/}; data survives {@code down}.
 */
public final class LocalStack {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final StackLayout layout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    LocalStack(StackLayout layout) {
        this.layout = layout;
    }

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "help";
        Path repository = Path.of(System.getProperty("shopflow.repository", ".")).toAbsolutePath().normalize();
        LocalStack stack = new LocalStack(StackLayout.fromEnvironment(repository));
        switch (command) {
            case "up" -> stack.up();
            case "down" -> stack.down();
            case "status" -> stack.status();
            case "restart" -> {
                if (args.length < 2) {
                    System.err.println("usage: local-stack.sh restart <process> [--kill]");
                    System.exit(2);
                }
                stack.restart(args[1], args.length > 2 && "--kill".equals(args[2]));
            }
            case "demo" -> new Demo(stack.layout).run();
            case "drill" -> System.exit(stack.drill(java.util.Arrays.copyOfRange(args, 1, args.length)) ? 0 : 1);
            case "capacity" -> stack.capacity(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "soak" -> stack.soak(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "profile" -> stack.profile(java.util.Arrays.copyOfRange(args, 1, args.length));
            case "token" -> {
                if (args.length < 2) {
                    System.err.println("usage: local-stack.sh token <customer-id> [--ops]");
                    System.exit(2);
                }
                DevTokens tokens = new DevTokens(repository.resolve("infra/dev-keys/jwt-private.pem"));
                System.out.println(tokens.mint(args[1], args.length > 2 && "--ops".equals(args[2]),
                        java.time.Instant.now()));
            }
            default -> {
                System.out.println("usage: local-stack.sh up|down|status|demo|restart <process> [--kill]"
                        + "|token <customer-id> [--ops]|drill <name>...|--all [--rate <orders/s>] [--hold <seconds>]"
                        + " [--knee <orders/s>]"
                        + "|capacity [--rates 5,10,20] [--step <seconds>] [--warm-up <seconds>] [--charts <dir>]"
                        + " [--overload <factor>]"
                        + "|soak [--rate <orders/s>] [--minutes <minutes>] [--warm-up <seconds>] [--window <seconds>]"
                        + " [--charts <dir>]"
                        + "|profile [--rate <orders/s>] [--duration <seconds>] [--warm-up <seconds>] [--out <dir>]");
                System.exit("help".equals(command) ? 0 : 2);
            }
        }
    }

    List<Component> components() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<Component> components = new ArrayList<>();
        components.add(new Component("infrastructure",
                List.of(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                        Infrastructure.class.getName(), layout.repository().toString()),
                Optional.empty(), Optional.of(layout.readyMarker()), List.of()));
        components.add(new Component("provider-simulator",
                List.of(java, "-Xmx64m", "-jar", layout.repository().resolve(
                        "platform/payment-provider-simulator/target/payment-provider-simulator-0.1.0-SNAPSHOT.jar")
                        .toString()),
                Optional.of(URI.create("http://localhost:" + layout.providerPort() + "/health")), Optional.empty(),
                List.of("PROVIDER_PORT=" + layout.providerPort())));
        components.add(service("order-service", "services/order-service", layout.orderServicePort(), "orders",
                List.of()));
        components.add(service("inventory-service", "services/inventory-service", layout.inventoryPort(),
                "inventory", List.of()));
        components.add(service("payment-service", "services/payment-service", layout.paymentPort(), "payments",
                List.of("-Dquarkus.rest-client.payment-provider.url=http://localhost:" + layout.providerPort())));
        // No SMTP server runs locally: the mailer logs each email instead of sending it.
        components.add(service("notification-service", "services/notification-service", layout.notificationPort(),
                "notifications", List.of("-Dquarkus.mailer.mock=true")));
        components.add(service("saga-orchestrator", "services/saga-orchestrator", layout.sagaPort(), "sagas",
                List.of()));
        // More orchestrator instances share the work as members of its consumer group.
        for (int i = 2; i <= layout.sagaInstances(); i++) {
            components.add(service("saga-orchestrator-" + i, "services/saga-orchestrator", layout.sagaPort() + 10 * i,
                    "sagas", List.of()));
        }
        List<String> relay = new ArrayList<>(List.of("-Dshopflow.relay.mode=cdc",
                "-Dkafka.bootstrap.servers=" + layout.kafkaBootstrap()));
        Map.of("order", "orders", "inventory", "inventory", "payment", "payments", "notification", "notifications",
                        "saga", "sagas")
                .forEach((source, database) -> {
                    relay.add("-Dshopflow.relay.sources." + source + ".jdbc-url=" + layout.jdbcUrl(database));
                    relay.add("-Dshopflow.relay.sources." + source + ".username=postgres");
                    relay.add("-Dshopflow.relay.sources." + source + ".password=postgres");
                });
        components.add(quarkusApp("outbox-relay", "platform/outbox-relay", layout.relayPort(), relay));
        if (layout.prometheusWanted()) {
            PrometheusConfig.binary().ifPresent(prometheus -> components.add(new Component("prometheus",
                    List.of(prometheus.toString(), "--config.file=" + layout.prometheusConfig(),
                            "--storage.tsdb.path=" + layout.prometheusData(), "--storage.tsdb.retention.time=7d",
                            "--web.listen-address=localhost:" + layout.prometheusPort()),
                    Optional.of(URI.create("http://localhost:" + layout.prometheusPort() + "/-/ready")),
                    Optional.empty(), List.of())));
        }
        return components;
    }

    /** A Shopflow service with its own database on the embedded PostgreSQL. */
    private Component service(String name, String module, int port, String database, List<String> extra) {
        List<String> settings = new ArrayList<>(List.of(
                "-Dquarkus.datasource.jdbc.url=" + layout.jdbcUrl(database),
                "-Dquarkus.datasource.reactive.url=" + layout.reactiveUrl(database),
                "-Dquarkus.datasource.username=postgres",
                "-Dquarkus.datasource.password=postgres",
                "-Dkafka.bootstrap.servers=" + layout.kafkaBootstrap()));
        settings.addAll(extra);
        return quarkusApp(name, module, port, settings);
    }

    private Component quarkusApp(String name, String module, int port, List<String> settings) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC",
                "-Dquarkus.http.port=" + port));
        if (!layout.otlpEndpoint().isBlank()) {
            // Every trace sampled and sent to an OTLP/HTTP collector (Jaeger: http://localhost:4318), as in compose.
            command.addAll(List.of("-Dquarkus.otel.traces.sampler.arg=1",
                    "-Dquarkus.otel.exporter.otlp.traces.protocol=http/protobuf",
                    "-Dquarkus.otel.exporter.otlp.traces.endpoint=" + layout.otlpEndpoint(),
                    "-Dquarkus.otel.bsp.schedule.delay=1s"));
        }
        command.addAll(settings);
        command.add("-jar");
        command.add(layout.repository().resolve(module).resolve("target/quarkus-app/quarkus-run.jar").toString());
        return new Component(name, command,
                Optional.of(URI.create("http://localhost:" + port + "/q/health/ready")), Optional.empty(), List.of());
    }

    void up() throws Exception {
        // A retention that is not a duration fails here, on the console, not only in the infrastructure's log.
        Infrastructure.kafkaSettings(System.getenv(Infrastructure.TOPIC_RETENTION));
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.pids());
        System.out.println("Shopflow local stack in " + layout.root());
        List<Component> components = components();
        boolean prometheus = components.stream().anyMatch(c -> c.name().equals("prometheus"));
        if (prometheus) {
            PrometheusConfig.write(layout);
        }
        for (Component component : components) {
            Optional<ProcessHandle> running = running(component);
            if (running.isPresent()) {
                System.out.printf("  %-16s already running (pid %d)%n", component.name(), running.get().pid());
                continue;
            }
            start(component);
        }
        System.out.println();
        System.out.println("Ready. Logs: " + layout.logs());
        System.out.println("  order API     http://localhost:" + layout.orderServicePort() + "/orders"
                + "  (OpenAPI: /q/openapi, health: /q/health, metrics: /q/metrics)");
        System.out.println("  inventory     http://localhost:" + layout.inventoryPort() + "/stock/{sku}");
        System.out.println("  payment       http://localhost:" + layout.paymentPort() + "/accounts/{customerId}");
        System.out.println("  notifications http://localhost:" + layout.notificationPort() + "/notifications?orderId={id}");
        System.out.println("  sagas (ops)   http://localhost:" + layout.sagaPort() + "/sagas?state=STUCK");
        System.out.println("  provider sim  http://localhost:" + layout.providerPort() + "/admin/behaviour");
        System.out.println("  outbox relay  http://localhost:" + layout.relayPort() + "/q/health");
        System.out.println("  PostgreSQL    " + layout.jdbcUrl("orders") + " (postgres/postgres)");
        System.out.println("  Kafka         " + layout.kafkaBootstrap());
        if (prometheus) {
            System.out.println("  Prometheus    http://localhost:" + layout.prometheusPort()
                    + "  (targets: /targets, alerts: /alerts; config: " + layout.prometheusConfig() + ")");
        } else {
            System.out.println("  Prometheus    not started (" + (layout.prometheusWanted()
                    ? "not installed: apt-get install prometheus" : "SHOPFLOW_LOCAL_PROMETHEUS=off")
                    + "); each process still serves /q/metrics");
        }
        System.out.println();
        System.out.println("Place an order:");
        System.out.println("  TOKEN=$(./local-stack.sh token alice)");
        System.out.println("  curl -i -X POST http://localhost:" + layout.orderServicePort() + "/orders \\");
        System.out.println("    -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' \\");
        System.out.println("    -H \"Idempotency-Key: $(uuidgen)\" \\");
        System.out.println("    -d '{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2}]}'");
        System.out.println("or run: ./local-stack.sh demo");
    }

    private void start(Component component) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(component.command());
        component.environment().forEach(variable -> {
            int eq = variable.indexOf('=');
            builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
        });
        builder
                .directory(layout.repository().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(component.logFile(layout).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long started = System.nanoTime();
        System.out.printf("  %-16s starting ", component.name());
        Process process = builder.start();
        Files.writeString(component.pidFile(layout), Long.toString(process.pid()));
        long deadline = started + START_TIMEOUT.toNanos();
        while (!isReady(component)) {
            if (!process.isAlive()) {
                System.out.println("FAILED (exit " + process.exitValue() + "); see " + component.logFile(layout));
                throw new IllegalStateException(component.name() + " exited during start-up");
            }
            if (System.nanoTime() > deadline) {
                System.out.println("TIMED OUT; see " + component.logFile(layout));
                throw new IllegalStateException(component.name() + " not ready after " + START_TIMEOUT);
            }
            System.out.print(".");
            Thread.sleep(1000);
        }
        System.out.printf(" ready in %.1f s (pid %d)%n", (System.nanoTime() - started) / 1e9, process.pid());
    }

    boolean isReady(Component component) {
        if (component.readyMarker().isPresent()) {
            return Files.exists(component.readyMarker().get());
        }
        return component.readiness().map(this::answers200).orElse(false);
    }

    private boolean answers200(URI uri) {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * {@code drill <name>... | --all [--rate 20] [--hold 30] [--knee 100]}: failure drills under background
     * load, each checked against the invariants (see {@link Drills}); false when one failed. The
     * {@code overload} drill offers 3x {@code --knee}, the highest rate the stack keeps up with.
     */
    boolean drill(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        boolean all = false;
        double rate = 20;
        long hold = 30;
        double knee = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--all" -> all = true;
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--hold" -> hold = Long.parseLong(args[++i]);
                case "--knee" -> knee = Double.parseDouble(args[++i]);
                default -> names.add(args[i]);
            }
        }
        Drills drills = new Drills(this, layout, knee);
        if (all) {
            names.addAll(drills.names());
        }
        if (names.isEmpty()) {
            System.out.println("usage: local-stack.sh drill <name>...|--all [--rate <orders/s>] [--hold <seconds>]"
                    + " [--knee <orders/s>]");
            System.out.println("drills: " + String.join(", ", drills.names()));
            return false;
        }
        if (!allReady()) {
            return false;
        }
        return drills.run(names, rate, Duration.ofSeconds(hold));
    }

    /**
     * {@code capacity [--rates 5,10,20] [--step 45] [--warm-up 120] [--charts DIR] [--overload 3]}: completed
     * sagas per second and placed -> final latency at each rate, with CPU and memory per process, then
     * optionally an overload past the knee (see {@link Capacity}).
     */
    void capacity(String[] args) throws Exception {
        Capacity.Options options = Capacity.options(args, layout.repository());
        if (!allReady()) {
            System.exit(1);
        }
        new Capacity(this, layout).run(options);
    }

    /**
     * {@code soak [--rate 70] [--minutes 30] [--warm-up 120] [--window 60] [--charts DIR]}: a long run at a fixed
     * rate, window by window, with the tables data retention prunes (see {@link Soak}).
     */
    void soak(String[] args) throws Exception {
        Soak.Options options = Soak.options(args, layout.repository());
        if (!allReady()) {
            System.exit(1);
        }
        new Soak(this, layout).run(options);
    }

    /**
     * {@code profile [--rate 10] [--duration 60] [--warm-up 60] [--out DIR]}: a CPU profile of every JVM of the stack
     * during a fixed-rate run, with flame graphs and hot methods per process (see {@link Profiler}).
     */
    void profile(String[] args) throws Exception {
        Profiler.Options options = Profiler.options(args, layout.repository());
        if (!allReady()) {
            System.exit(1);
        }
        new Profiler(this, layout).run(options);
    }

    /** True when every process is ready; otherwise says which are not. */
    private boolean allReady() {
        List<String> notReady = components().stream().filter(c -> !isReady(c)).map(Component::name).toList();
        if (!notReady.isEmpty()) {
            System.out.println("Not ready: " + notReady + "; run ./local-stack.sh up first");
        }
        return notReady.isEmpty();
    }

    /** Stops one process (SIGTERM, or SIGKILL with {@code kill}) and starts it again: for drills. */
    void restart(String name, boolean kill) throws Exception {
        Component component = components().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process " + name + "; see status"));
        Optional<ProcessHandle> running = running(component);
        if (running.isPresent()) {
            System.out.printf("  %-16s %s (pid %d)%n", name, kill ? "killing" : "stopping", running.get().pid());
            if (kill) {
                running.get().destroyForcibly();
            } else {
                running.get().destroy();
            }
            running.get().onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
        start(component);
    }

    void down() throws Exception {
        List<Component> components = new ArrayList<>(components());
        java.util.Collections.reverse(components);
        for (Component component : components) {
            Optional<ProcessHandle> running = running(component);
            if (running.isEmpty()) {
                System.out.printf("  %-16s not running%n", component.name());
                continue;
            }
            ProcessHandle process = running.get();
            System.out.printf("  %-16s stopping (pid %d) ", component.name(), process.pid());
            process.destroy();
            try {
                process.onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
                System.out.println("stopped");
            } catch (java.util.concurrent.TimeoutException e) {
                process.destroyForcibly();
                System.out.println("killed after " + STOP_TIMEOUT.toSeconds() + " s");
            }
            Files.deleteIfExists(component.pidFile(layout));
        }
    }

    void status() {
        for (Component component : components()) {
            Optional<ProcessHandle> running = running(component);
            String state = running.isEmpty() ? "stopped"
                    : (isReady(component) ? "ready" : "starting") + " (pid " + running.get().pid() + ")";
            System.out.printf("  %-16s %-24s log: %s%n", component.name(), state, component.logFile(layout));
        }
    }

    /** The process recorded in the component's pid file, if it still runs. */
    Optional<ProcessHandle> running(Component component) {
        Path pidFile = component.pidFile(layout);
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
