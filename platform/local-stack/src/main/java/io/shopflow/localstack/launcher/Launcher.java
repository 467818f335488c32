package io.shopflow.localstack.launcher;

import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.PostgresServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The no-Docker local run of {@link StackProcess#all the stack's processes}: {@link #up} starts an embedded
 * PostgreSQL and a Kafka broker (one infrastructure process), then the services and the relay as local processes,
 * each waited for until healthy; {@link #down} stops them in reverse order; {@link #status} shows what runs;
 * {@link #restart} stops one and starts it again. State, logs and pid files live under {@code .local-stack/}; data
 * survives {@code down}. The operations tools (drills, measurements) run the stack through it; it knows nothing of
 * them.
 */
public final class Launcher {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    /** How often a starting process's readiness is asked: the resolution of the ready times {@code up} prints. */
    private static final Duration READINESS_POLL = Duration.ofMillis(100);

    /**
     * The JVM options of each Quarkus application (ADR 13): a heap that starts small and gives memory back (the
     * JVM's default initial heap is 1/64 of the machine's memory, 384 MiB here, all of it soon touched), compact
     * object headers, the serial collector, which has no threads of its own to run on two shared cores, and the
     * C heap trimmed every 5 s (memory the JIT compilers freed goes back to the system).
     */
    public static final List<String> JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m", "-Xmx384m",
            "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:+UseCompactObjectHeaders",
            "-XX:TrimNativeHeapInterval=5000");
    /** Orders placed while training, so that the caches hold the classes and profiles of a saga, not only start-up. */
    private static final int TRAINING_ORDERS = 3;
    /** A JVM writes its AOT cache as it exits: some seconds each, all at once on the same cores. */
    private static final Duration TRAINING_EXIT_TIMEOUT = Duration.ofMinutes(3);

    /** The version of Shopflow this launcher was built with, which names the jars it starts. */
    private static final String VERSION = buildVersion();

    private final StackLayout layout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Launcher(StackLayout layout) {
        this.layout = layout;
    }

    /** Where this stack keeps its state and which ports it uses. */
    public StackLayout layout() {
        return layout;
    }

    /** The build's version, from {@code launcher.properties}, which Maven filters ({@code ${project.version}}). */
    private static String buildVersion() {
        try (InputStream in = Launcher.class.getResourceAsStream("launcher.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every process of the stack, {@link StackProcess#all} with how to start it and to tell that it is ready. */
    public List<Component> components() {
        return StackProcess.all(layout).stream().map(this::component).toList();
    }

    private Component component(StackProcess process) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return switch (process.kind()) {
            case INFRASTRUCTURE -> new Component(process.name(),
                    List.of(java, "-Xmx768m", "-cp", System.getProperty("java.class.path"),
                            Infrastructure.class.getName(), layout.repository().toString()),
                    Optional.empty(), Optional.of(layout.readyMarker()), List.of());
            case PROVIDER_SIMULATOR -> new Component(process.name(),
                    List.of(java, "-Xmx64m", "-jar", layout.repository().resolve(
                            "platform/payment-provider-simulator/target/payment-provider-simulator-" + VERSION + ".jar")
                            .toString()),
                    Optional.of(URI.create("http://localhost:" + process.port() + "/health")), Optional.empty(),
                    List.of("PROVIDER_PORT=" + process.port(),
                            "PROVIDER_ADMIN_TOKEN=" + StackLayout.PROVIDER_ADMIN_TOKEN));
            case SERVICE -> service(process, process.service().orElseThrow());
            case RELAY -> relay(process);
            case PROMETHEUS -> new Component(process.name(),
                    List.of(PrometheusConfig.binary().orElseThrow().toString(),
                            "--config.file=" + layout.prometheusConfig(),
                            "--storage.tsdb.path=" + layout.prometheusData(), "--storage.tsdb.retention.time=7d",
                            "--web.listen-address=localhost:" + process.port()),
                    Optional.of(URI.create("http://localhost:" + process.port() + "/-/ready")),
                    Optional.empty(), List.of());
        };
    }

    /** The relay in CDC mode, with a source per service database, read as the relay's role. */
    private Component relay(StackProcess process) {
        List<String> settings = new ArrayList<>(List.of("-Dshopflow.relay.mode=cdc",
                "-Dkafka.bootstrap.servers=" + layout.kafkaBootstrap()));
        for (Service service : Service.values()) {
            String source = "-Dshopflow.relay.sources." + service.relaySource();
            settings.add(source + ".jdbc-url=" + layout.jdbcUrl(service.database()));
            settings.add(source + ".username=" + PostgresServer.RELAY_ROLE);
            settings.add(source + ".password=" + PostgresServer.PASSWORD);
        }
        return quarkusApp(process, "platform/" + process.application(), settings);
    }

    /**
     * A Shopflow service with its own database on the embedded PostgreSQL: it runs as the database's
     * runtime role, its Flyway migrations as the owner, as in compose and on Kubernetes. A development setup: it
     * verifies tokens with the development key and issuer, which a service in the prod profile otherwise refuses to
     * start with.
     */
    private Component service(StackProcess process, Service service) {
        String database = service.database();
        List<String> settings = new ArrayList<>(List.of(
                "-Dshopflow.development=true",
                "-Dquarkus.datasource.jdbc.url=" + layout.jdbcUrl(database),
                "-Dquarkus.datasource.reactive.url=" + layout.reactiveUrl(database),
                "-Dquarkus.datasource.username=" + PostgresServer.appRole(database),
                "-Dquarkus.datasource.password=" + PostgresServer.PASSWORD,
                "-Dquarkus.flyway.username=" + PostgresServer.owner(database),
                "-Dquarkus.flyway.password=" + PostgresServer.PASSWORD,
                "-Dkafka.bootstrap.servers=" + layout.kafkaBootstrap()));
        settings.addAll(switch (service) {
            case PAYMENT -> List.of("-Dquarkus.rest-client.payment-provider.url=http://localhost:" + layout.providerPort());
            // No SMTP server runs locally: the mailer logs each email instead of sending it.
            case NOTIFICATION -> List.of("-Dquarkus.mailer.mock=true");
            default -> List.<String>of();
        });
        return quarkusApp(process, service.module(), settings);
    }

    private Component quarkusApp(StackProcess process, String module, List<String> settings) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(JVM_OPTIONS);
        command.add("-Dquarkus.http.port=" + process.port());
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
        return new Component(process.name(), command,
                Optional.of(URI.create("http://localhost:" + process.port() + "/q/health/ready")), Optional.empty(),
                List.of("MALLOC_ARENA_MAX=2"), Optional.of(new AotCache(
                        layout.aotCaches().resolve(process.application() + ".aot"),
                        layout.repository().resolve(module).resolve("target/quarkus-app"))));
    }

    /** Starts every process that is not running (see {@link #startAll}), then says where each can be reached. */
    public void up() throws Exception {
        startAll();
        System.out.println();
        System.out.println("Ready. Logs: " + layout.logs());
        for (Service service : Service.values()) {
            System.out.printf("  %-13s http://localhost:%d%s%n", service.label(), layout.port(service),
                    service.entryPoint());
        }
        System.out.println("  provider sim  http://localhost:" + layout.providerPort() + "/admin/behaviour"
                + "  (Authorization: Bearer " + StackLayout.PROVIDER_ADMIN_TOKEN + ")");
        System.out.println("  outbox relay  http://localhost:" + layout.relayPort() + "/q/health");
        System.out.println("  PostgreSQL    " + layout.jdbcUrl(Service.ORDER.database()) + " (" + PostgresServer.USER + "/"
                + PostgresServer.PASSWORD + ")");
        System.out.println("  Kafka         " + layout.kafkaBootstrap() + " (SASL_PLAINTEXT, SCRAM-SHA-512; tools: "
                + KafkaBroker.ADMIN + "/" + KafkaBroker.password(KafkaBroker.ADMIN) + ")");
        if (components().stream().anyMatch(c -> c.name().equals(StackProcess.PROMETHEUS))) {
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
        System.out.println("  curl -i -X POST http://localhost:" + layout.port(Service.ORDER) + "/orders \\");
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
    public Map<String, Duration> startAll() throws Exception {
        // A retention that is not a duration fails here, on the console, not only in the infrastructure's log.
        Infrastructure.kafkaSettings(System.getenv(Infrastructure.TOPIC_RETENTION));
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.pids());
        System.out.println("Shopflow local stack in " + layout.root());
        List<Component> components = components();
        if (components.stream().anyMatch(c -> c.name().equals(StackProcess.PROMETHEUS))) {
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
        List<Component> infrastructure = stopped.stream().filter(c -> c.name().equals(StackProcess.INFRASTRUCTURE)).toList();
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

    /** True when {@code component} answers its readiness check (the infrastructure: its ready marker exists). */
    public boolean isReady(Component component) {
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

    /** True when every process is ready; otherwise says which are not. */
    public boolean allReady() {
        List<String> notReady = components().stream().filter(c -> !isReady(c)).map(Component::name).toList();
        if (!notReady.isEmpty()) {
            System.out.println("Not ready: " + notReady + "; run ./local-stack.sh up first");
        }
        return notReady.isEmpty();
    }

    /**
     * Stops the process {@code name} (SIGTERM, or SIGKILL with {@code kill}) and starts it again; returns its time to
     * ready. Refuses a name that is not one of the stack's processes.
     */
    public Map<String, Duration> restart(String name, boolean kill) throws Exception {
        Component component = components().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no process " + name + "; see status"));
        return restart(component, kill);
    }

    /** Stops {@code component} (SIGTERM, or SIGKILL with {@code kill}) and starts it again; returns its time to ready. */
    public Map<String, Duration> restart(Component component, boolean kill) throws Exception {
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

    /** Stops every running process in reverse order (SIGTERM, then SIGKILL after 30 s); data stays. */
    public void down() throws Exception {
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

    /** Shows each process: running or not, its pid, readiness and log file. */
    public void status() {
        for (Component component : components()) {
            Optional<ProcessHandle> running = running(component);
            String state = running.isEmpty() ? "stopped"
                    : (isReady(component) ? "ready" : "starting") + " (pid " + running.get().pid() + ")";
            System.out.printf("  %-20s %-24s log: %s%n", component.name(), state, component.logFile(layout));
        }
    }

    /** The process recorded in the component's pid file, if it still runs. */
    public Optional<ProcessHandle> running(Component component) {
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
