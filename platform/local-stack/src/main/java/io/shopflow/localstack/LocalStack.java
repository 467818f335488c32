package io.shopflow.localstack;

import io.shopflow.testing.DevTokens;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>Each command is a picocli subcommand, its options declared on its method here or, for the
 * measurements, in a mixin beside the measurement ({@link Capacity.Arguments}, {@link Soak.Arguments},
 * {@link Profiler.Arguments}): {@code --help} prints a command's usage, a usage error its message
 * and the usage, with exit code 2.
 */
@Command(name = "local-stack.sh", synopsisSubcommandLabel = "<command>",
        description = {"Shopflow without Docker: an embedded PostgreSQL, a Kafka broker, the relay and the services"
                + " as local processes.",
                "State, logs and pid files live under .local-stack/ (SHOPFLOW_LOCAL_HOME); data survives down."},
        footer = "Ports and other settings: platform/local-stack/README.md")
public final class LocalStack implements Runnable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final StackLayout layout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Prints this help and exits.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    LocalStack(StackLayout layout) {
        this.layout = layout;
    }

    public static void main(String[] args) {
        Path repository = Path.of(System.getProperty("shopflow.repository", ".")).toAbsolutePath().normalize();
        System.exit(commandLine(new LocalStack(StackLayout.fromEnvironment(repository))).execute(args));
    }

    /**
     * The launcher's command line over {@code stack}. A usage error prints its message, a near miss if
     * there is one, and the usage of its command to stderr, exit code 2 (picocli's own handler leaves
     * the usage out after a near miss).
     */
    static CommandLine commandLine(LocalStack stack) {
        return new CommandLine(stack).setParameterExceptionHandler((error, args) -> {
            CommandLine command = error.getCommandLine();
            command.getErr().println(error.getMessage());
            UnmatchedArgumentException.printSuggestions(error, command.getErr());
            command.usage(command.getErr());
            return command.getCommandSpec().exitCodeOnInvalidInput();
        });
    }

    /** Without a command: the usage, as {@code help} prints it. */
    @Override
    public void run() {
        help(null);
    }

    @Command(name = "help", description = "Prints the usage of the launcher or of one command.")
    void help(@Parameters(arity = "0..1", paramLabel = "<command>",
            description = "A command; without one, the launcher with all its commands.") String command) {
        CommandLine launcher = spec.commandLine();
        CommandLine target = command == null ? launcher : launcher.getSubcommands().get(command);
        if (target == null) {
            throw usageError("help", "Unknown command: '" + command + "'");
        }
        target.usage(launcher.getOut());
    }

    @Command(name = "demo", description = "Places an order and follows it: the HTTP answer, the stored order and"
            + " its OrderPlaced message in Kafka.")
    void demo() throws Exception {
        new Demo(layout).run();
    }

    @Command(name = "token", description = "Prints a JWT signed with the development key (infra/dev-keys),"
            + " valid for 12 h.")
    void token(@Parameters(paramLabel = "<customer-id>", description = "The subject: a customer id, 1-64 of"
                    + " [A-Za-z0-9._@-].") String subject,
               @Option(names = "--ops", description = "An operator's token (group ops) instead of a customer's.")
               boolean ops) throws IOException, GeneralSecurityException {
        DevTokens tokens = new DevTokens(layout.repository().resolve("infra/dev-keys/jwt-private.pem"));
        try {
            spec.commandLine().getOut().println(tokens.mint(subject, ops, Instant.now()));
        } catch (IllegalArgumentException e) {
            throw usageError("token", e.getMessage());
        }
    }

    /** A usage error of {@code command}: its message and the command's usage, exit code 2. */
    private ParameterException usageError(String command, String message) {
        return new ParameterException(spec.commandLine().getSubcommands().get(command), message);
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

    @Command(name = "up", description = {"Starts the infrastructure, the services and the relay, each waited for"
            + " until it is ready.", "local-stack.sh builds what is missing first (SHOPFLOW_REBUILD=1: all of it)."})
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

    @Command(name = "drill", description = {
            "Failure drills under background load, each checked against the invariants (docs/runbook.md);"
                    + " exit code 1 when one failed.",
            "Without a name or --all it lists the drills."})
    int drill(@Parameters(arity = "0..*", paramLabel = "<name>", description = "A drill; several run in turn.")
              List<String> names,
              @Option(names = "--all", description = "Every drill, in turn.") boolean all,
              @Option(names = "--rate", paramLabel = "<orders/s>", defaultValue = "20",
                      description = "The background load. Default: ${DEFAULT-VALUE}.") double rate,
              @Option(names = "--hold", paramLabel = "<seconds>", defaultValue = "30",
                      description = "How long each fault lasts. Default: ${DEFAULT-VALUE}.") long hold,
              @Option(names = "--knee", paramLabel = "<orders/s>", defaultValue = "100",
                      description = "The highest rate the stack keeps up with (capacity's last step that held);"
                              + " the overload drill offers 3x. Default: ${DEFAULT-VALUE}.") double knee)
            throws Exception {
        Drills drills = new Drills(this, layout, knee);
        List<String> run = new ArrayList<>(names == null ? List.of() : names);
        if (all) {
            run.addAll(drills.names());
        }
        List<String> unknown = run.stream().filter(name -> !drills.names().contains(name)).toList();
        if (run.isEmpty() || !unknown.isEmpty()) {
            throw usageError("drill", (run.isEmpty() ? "Name a drill or --all" : "Unknown drill: " + unknown)
                    + "; drills: " + String.join(", ", drills.names()));
        }
        return allReady() && drills.run(run, rate, Duration.ofSeconds(hold)) ? 0 : 1;
    }

    @Command(name = "capacity", description = {
            "Throughput and latency per rate, then past the knee with --overload (docs/benchmarks.md).",
            "After a warm-up, each rate in turn: completed sagas per second, placed -> final p50/p99/max, refused"
                    + " requests, CPU and memory per process; it stops after the first step that breaks and draws"
                    + " capacity.svg."})
    int capacity(@Mixin Capacity.Arguments arguments) throws Exception {
        Capacity.Options options = arguments.options(layout.repository());
        return whenReady(() -> new Capacity(this, layout).run(options));
    }

    @Command(name = "soak", description = {
            "A long run at one rate: a row a window with p99 placed -> final and the tables data retention prunes,"
                    + " then verdicts on level-off and p99 drift, and soak.svg."})
    int soak(@Mixin Soak.Arguments arguments) throws Exception {
        Soak.Options options = arguments.options(layout.repository());
        return whenReady(() -> new Soak(this, layout).run(options));
    }

    @Command(name = "profile", description = {
            "A CPU profile of every JVM of the stack during a fixed-rate run (async-profiler): flame graphs, hot"
                    + " methods and CPU by category per process."})
    int profile(@Mixin Profiler.Arguments arguments) throws Exception {
        Profiler.Options options = arguments.options(layout.repository());
        return whenReady(() -> new Profiler(this, layout).run(options));
    }

    /** A run against the stack. */
    private interface Measurement {
        void run() throws Exception;
    }

    /** Runs {@code measurement} when every process is ready (exit code 0); otherwise says which are not (1). */
    private int whenReady(Measurement measurement) throws Exception {
        if (!allReady()) {
            return 1;
        }
        measurement.run();
        return 0;
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
    @Command(name = "restart", description = "Stops one process (SIGTERM, or SIGKILL with --kill) and starts it"
            + " again.")
    void restart(@Parameters(paramLabel = "<process>", description = "A process as status names it, e.g."
                    + " inventory-service.") String name,
                 @Option(names = "--kill", description = "SIGKILL (kill -9) instead of SIGTERM.") boolean kill)
            throws Exception {
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

    @Command(name = "down", description = "Stops everything in reverse order (SIGTERM, then SIGKILL after 30 s);"
            + " data stays.")
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

    @Command(name = "status", description = "Shows each process: running or not, its pid, readiness and log file.")
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
