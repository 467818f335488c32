package io.shopflow.localstack;

import io.shopflow.testing.DevTokens;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.PostgresServer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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
    /** How often a starting process's readiness is asked: the resolution of the ready times {@code up} prints. */
    private static final Duration READINESS_POLL = Duration.ofMillis(100);
    private static final String INFRASTRUCTURE = "infrastructure";
    /**
     * The JVM options of each Quarkus application (ADR 13): a heap that starts small and gives memory back (the
     * JVM's default initial heap is 1/64 of the machine's memory, 384 MiB here, all of it soon touched), compact
     * object headers, the serial collector, which has no threads of its own to run on two shared cores, and the
     * C heap trimmed every 5 s (memory the JIT compilers freed goes back to the system).
     */
    static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx384m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:+UseCompactObjectHeaders",
            "-XX:TrimNativeHeapInterval=5000");
    /** Orders placed while training, so that the caches hold the classes and profiles of a saga, not only start-up. */
    private static final int TRAINING_ORDERS = 3;
    /** A JVM writes its AOT cache as it exits: some seconds each, all at once on the same cores. */
    private static final Duration TRAINING_EXIT_TIMEOUT = Duration.ofMinutes(3);

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
        components.add(new Component(INFRASTRUCTURE,
                List.of(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                        Infrastructure.class.getName(), layout.repository().toString()),
                Optional.empty(), Optional.of(layout.readyMarker()), List.of()));
        components.add(new Component("provider-simulator",
                List.of(java, "-Xmx64m", "-jar", layout.repository().resolve(
                        "platform/payment-provider-simulator/target/payment-provider-simulator-0.1.0-SNAPSHOT.jar")
                        .toString()),
                Optional.of(URI.create("http://localhost:" + layout.providerPort() + "/health")), Optional.empty(),
                List.of("PROVIDER_PORT=" + layout.providerPort(),
                        "PROVIDER_ADMIN_TOKEN=" + StackLayout.PROVIDER_ADMIN_TOKEN)));
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
        // In a fixed order (Map.of's changes from run to run): one command for one configuration.
        new TreeMap<>(Map.of("order", "orders", "inventory", "inventory", "payment", "payments", "notification",
                        "notifications", "saga", "sagas"))
                .forEach((source, database) -> {
                    relay.add("-Dshopflow.relay.sources." + source + ".jdbc-url=" + layout.jdbcUrl(database));
                    relay.add("-Dshopflow.relay.sources." + source + ".username=" + PostgresServer.RELAY_ROLE);
                    relay.add("-Dshopflow.relay.sources." + source + ".password=" + PostgresServer.PASSWORD);
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

    /**
     * A Shopflow service with its own database on the embedded PostgreSQL: it runs as the database's
     * runtime role, its Flyway migrations as the owner, as in compose and on Kubernetes. A development setup: it
     * verifies tokens with the development key and issuer, which a service in the prod profile otherwise refuses to
     * start with.
     */
    private Component service(String name, String module, int port, String database, List<String> extra) {
        List<String> settings = new ArrayList<>(List.of(
                "-Dshopflow.development=true",
                "-Dquarkus.datasource.jdbc.url=" + layout.jdbcUrl(database),
                "-Dquarkus.datasource.reactive.url=" + layout.reactiveUrl(database),
                "-Dquarkus.datasource.username=" + PostgresServer.appRole(database),
                "-Dquarkus.datasource.password=" + PostgresServer.PASSWORD,
                "-Dquarkus.flyway.username=" + PostgresServer.owner(database),
                "-Dquarkus.flyway.password=" + PostgresServer.PASSWORD,
                "-Dkafka.bootstrap.servers=" + layout.kafkaBootstrap()));
        settings.addAll(extra);
        return quarkusApp(name, module, port, settings);
    }

    private Component quarkusApp(String name, String module, int port, List<String> settings) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_OPTIONS);
        command.add("-Dquarkus.http.port=" + port);
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
                Optional.of(URI.create("http://localhost:" + port + "/q/health/ready")), Optional.empty(),
                List.of("MALLOC_ARENA_MAX=2"), Optional.of(new AotCache(
                        layout.aotCaches().resolve(Path.of(module).getFileName() + ".aot"),
                        layout.repository().resolve(module).resolve("target/quarkus-app"))));
    }

    @Command(name = "up", description = {"Starts the infrastructure, then the services and the relay together, each"
            + " waited for until it is ready.", "local-stack.sh builds what is missing first (SHOPFLOW_REBUILD=1: all of it)."})
    void up() throws Exception {
        startAll();
        System.out.println();
        System.out.println("Ready. Logs: " + layout.logs());
        System.out.println("  order API     http://localhost:" + layout.orderServicePort() + "/orders"
                + "  (OpenAPI: /q/openapi, health: /q/health, metrics: /q/metrics)");
        System.out.println("  inventory     http://localhost:" + layout.inventoryPort() + "/stock/{sku}");
        System.out.println("  payment       http://localhost:" + layout.paymentPort() + "/accounts/{customerId}");
        System.out.println("  notifications http://localhost:" + layout.notificationPort() + "/notifications?orderId={id}");
        System.out.println("  sagas (ops)   http://localhost:" + layout.sagaPort() + "/sagas?state=STUCK");
        System.out.println("  provider sim  http://localhost:" + layout.providerPort() + "/admin/behaviour"
                + "  (Authorization: Bearer " + StackLayout.PROVIDER_ADMIN_TOKEN + ")");
        System.out.println("  outbox relay  http://localhost:" + layout.relayPort() + "/q/health");
        System.out.println("  PostgreSQL    " + layout.jdbcUrl("orders") + " (postgres/postgres)");
        System.out.println("  Kafka         " + layout.kafkaBootstrap() + " (SASL_PLAINTEXT, SCRAM-SHA-512; tools: "
                + KafkaBroker.ADMIN + "/" + KafkaBroker.password(KafkaBroker.ADMIN) + ")");
        if (components().stream().anyMatch(c -> c.name().equals("prometheus"))) {
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

    /**
     * What {@code up} starts: the infrastructure first (everything else needs PostgreSQL and Kafka), then all the
     * other processes at once, since none waits for another (a service whose topics do not exist yet creates them
     * or skips their check). Returns each started process's time from spawn to ready; those already running are
     * left alone.
     */
    Map<String, Duration> startAll() throws Exception {
        // A retention that is not a duration fails here, on the console, not only in the infrastructure's log.
        Infrastructure.kafkaSettings(System.getenv(Infrastructure.TOPIC_RETENTION));
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.pids());
        System.out.println("Shopflow local stack in " + layout.root());
        List<Component> components = components();
        if (components.stream().anyMatch(c -> c.name().equals("prometheus"))) {
            PrometheusConfig.write(layout);
        }
        List<Component> stopped = new ArrayList<>();
        for (Component component : components) {
            Optional<ProcessHandle> running = running(component);
            if (running.isPresent()) {
                System.out.printf("  %-20s already running (pid %d)%n", component.name(), running.get().pid());
            } else {
                stopped.add(component);
            }
        }
        Map<String, Duration> readyIn = new LinkedHashMap<>();
        List<Component> infrastructure = stopped.stream().filter(c -> c.name().equals(INFRASTRUCTURE)).toList();
        readyIn.putAll(start(infrastructure, false));
        List<Component> others = stopped.stream().filter(c -> !infrastructure.contains(c)).toList();
        if (others.stream().anyMatch(Component::needsTraining)) {
            // Training places orders: the processes without a cache (the provider simulator) first. A build
            // changes every application, so all of them train together, one instance per cache.
            List<Component> cached = others.stream().filter(c -> c.aotCache().isPresent()).toList();
            readyIn.putAll(start(others.stream().filter(c -> !cached.contains(c)).toList(), false));
            Map<AotCache, Component> trainees = new LinkedHashMap<>();
            cached.forEach(c -> trainees.putIfAbsent(c.aotCache().get(), c));
            train(List.copyOf(trainees.values()));
            readyIn.putAll(start(cached, false));
        } else {
            readyIn.putAll(start(others, false));
        }
        return readyIn;
    }

    /**
     * Trains the AOT caches of {@code components} (ADR 13): starts them together with the training option, waits
     * until each is ready, places a few orders (customers and SKUs {@code aot-training-<n>}), and stops them; each
     * JVM writes its cache as it exits. Once per build: the next starts use the caches.
     */
    private void train(List<Component> components) throws Exception {
        System.out.println("  Training the JDK AOT caches of " + components.stream().map(Component::name).toList()
                + ": start-up and " + TRAINING_ORDERS + " orders (after each build; the starts after it are faster)");
        Files.createDirectories(layout.aotCaches());
        start(components, true);
        try {
            OpsClient ops = new OpsClient(layout);
            for (int i = 1; i <= TRAINING_ORDERS; i++) {
                ProbeOrder.place(layout, ops, "aot-training-" + i);
            }
        } catch (Exception | AssertionError e) {
            System.out.println("  A training order failed (" + e.getMessage() + "): the caches cover start-up only");
        }
        for (Component component : components) {
            running(component).ifPresent(ProcessHandle::destroy);
        }
        for (Component component : components) {
            Optional<ProcessHandle> process = running(component);
            if (process.isPresent()) {
                process.get().onExit().get(TRAINING_EXIT_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
            Files.deleteIfExists(component.pidFile(layout));
            component.aotCache().orElseThrow().trained(component.command());
        }
    }

    /**
     * Starts {@code components} together (for a {@code training} run of their AOT caches, or with them when fresh)
     * and waits until each is ready, saying so as each gets there; fails when one exits or is not ready within
     * {@link #START_TIMEOUT}. Returns each one's time from spawn to ready.
     */
    private Map<String, Duration> start(List<Component> components, boolean training) throws Exception {
        Map<Component, Process> pending = new LinkedHashMap<>();
        Map<Component, Long> spawnedAt = new LinkedHashMap<>();
        for (Component component : components) {
            spawnedAt.put(component, System.nanoTime());
            pending.put(component, spawn(component, training));
        }
        Map<String, Duration> readyIn = new LinkedHashMap<>();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!pending.isEmpty()) {
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Component, Process> entry = it.next();
                Component component = entry.getKey();
                Process process = entry.getValue();
                if (isReady(component)) {
                    Duration took = Duration.ofNanos(System.nanoTime() - spawnedAt.get(component));
                    readyIn.put(component.name(), took);
                    System.out.printf(Locale.ROOT, "  %-20s ready in %.1f s (pid %d%s)%n", component.name(),
                            took.toMillis() / 1000.0, process.pid(), training ? ", training run" : "");
                    it.remove();
                } else if (!process.isAlive()) {
                    System.out.printf("  %-20s FAILED (exit %d); see %s%n", component.name(), process.exitValue(),
                            component.logFile(layout));
                    throw new IllegalStateException(component.name() + " exited during start-up");
                } else if (System.nanoTime() > deadline) {
                    System.out.printf("  %-20s TIMED OUT; see %s%n", component.name(), component.logFile(layout));
                    throw new IllegalStateException(component.name() + " not ready after " + START_TIMEOUT);
                }
            }
            Thread.sleep(READINESS_POLL.toMillis());
        }
        return readyIn;
    }

    private Process spawn(Component component, boolean training) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(component.launchCommand(training));
        component.environment().forEach(variable -> {
            int eq = variable.indexOf('=');
            builder.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
        });
        builder
                .directory(layout.repository().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(component.logFile(layout).toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        Files.writeString(component.pidFile(layout), Long.toString(process.pid()));
        return process;
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

    @Command(name = "footprint", description = {
            "What the stack costs a machine, from a stopped stack: up with each process's time to ready, the first"
                    + " order's placed -> final, then RSS, PSS and CPU per process at idle, before and after"
                    + " --orders orders (docs/benchmarks.md)."})
    int footprint(@Mixin Footprint.Arguments arguments) throws Exception {
        return new Footprint(this, layout).run(arguments.options());
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
        restart(component, kill);
    }

    /** Stops {@code component} (SIGTERM, or SIGKILL with {@code kill}) and starts it again; returns its time to ready. */
    Map<String, Duration> restart(Component component, boolean kill) throws Exception {
        Optional<ProcessHandle> running = running(component);
        if (running.isPresent()) {
            System.out.printf("  %-20s %s (pid %d)%n", component.name(), kill ? "killing" : "stopping",
                    running.get().pid());
            if (kill) {
                running.get().destroyForcibly();
            } else {
                running.get().destroy();
            }
            running.get().onExit().get(STOP_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        }
        return start(List.of(component), false);
    }

    @Command(name = "down", description = "Stops everything in reverse order (SIGTERM, then SIGKILL after 30 s);"
            + " data stays.")
    void down() throws Exception {
        List<Component> components = new ArrayList<>(components());
        java.util.Collections.reverse(components);
        for (Component component : components) {
            Optional<ProcessHandle> running = running(component);
            if (running.isEmpty()) {
                System.out.printf("  %-20s not running%n", component.name());
                continue;
            }
            ProcessHandle process = running.get();
            System.out.printf("  %-20s stopping (pid %d) ", component.name(), process.pid());
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
            System.out.printf("  %-20s %-24s log: %s%n", component.name(), state, component.logFile(layout));
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
