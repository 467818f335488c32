package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.Component;
import io.shopflow.localstack.launcher.Launcher;
import com.sun.tools.attach.VirtualMachine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code local-stack.sh profile [--rate 10] [--duration 60] [--warm-up 60] [--out DIR]}: a CPU
 * profile of every JVM of the running local stack during a fixed-rate run.
 *
 * <p>After a warm-up at the same rate, async-profiler (its agent ships in the
 * {@code tools.profiler:async-profiler} jar) is attached to each JVM with {@code event=cpu}
 * (perf events where the kernel allows them, else a CPU timer), so JIT compiler, GC and kernel
 * time are in the picture, not only Java frames. When the run ends it writes, per process, a
 * flame graph ({@code <process>.html}), the collapsed stacks ({@code <process>.collapsed}) and the
 * hottest methods by self and by total samples with a breakdown by category (JIT, GC, Kafka, the
 * PostgreSQL client, ...; {@code <process>-hot.txt}), and prints the CPU each process spent per
 * completed saga with its categories and five hottest methods.
 */
public final class Profiler {

    private static final int INTERVAL_MILLIS = 5;
    private static final int TOP = 25;

    /**
     * Where a sample's CPU went, by the first rule whose frame fragment is on its stack: the JVM's
     * own threads first (a JIT or GC frame decides), then the libraries a Shopflow process runs.
     */
    static final List<Map.Entry<String, List<String>>> CATEGORIES = List.of(
            Map.entry("JIT compiler", List.of("CompileBroker::")),
            Map.entry("garbage collector", List.of("VM_GenCollect", "GCTask", "G1", "ConcurrentGCThread",
                    "WorkerThread::run", "ZThread", "PSScavenge", "VM_CollectFor")),
            Map.entry("Avro serde", List.of("io/shopflow/contracts/serde/", "org/apache/avro/")),
            Map.entry("Kafka consumer", List.of("org/apache/kafka/clients/consumer/")),
            Map.entry("Kafka producer", List.of("org/apache/kafka/clients/producer/")),
            Map.entry("Kafka broker", List.of("kafka/server/", "kafka/network/", "org/apache/kafka/storage/",
                    "kafka/log/", "org/apache/kafka/server/", "org/apache/kafka/raft/", "kafka/cluster/",
                    "org/apache/kafka/coordinator/", "org/apache/kafka/common/network/")),
            Map.entry("PostgreSQL client (Vert.x) + Hibernate Reactive", List.of("io/vertx/pgclient/",
                    "io/vertx/sqlclient/", "org/hibernate/")),
            Map.entry("PostgreSQL JDBC", List.of("org/postgresql/")),
            // After Kafka and JDBC: the CDC threads call both, and those samples belong to them.
            Map.entry("relay CDC (pgoutput decoding, pipeline)", List.of("io/shopflow/relay/cdc/")),
            Map.entry("HTTP (Quarkus REST, Vert.x)", List.of("io/quarkus/resteasy/", "org/jboss/resteasy/",
                    "io/vertx/core/http/", "io/vertx/ext/web/", "io/quarkus/vertx/http/", "sun/net/httpserver/",
                    "jdk/internal/net/http/")));

    private final Launcher launcher;

    public Profiler(Launcher launcher) {
        this.launcher = launcher;
    }

    /** Profiles every JVM of the running stack during a run at the options' rate; writes the results to a folder per run. */
    public void run(Options options) throws Exception {
        Path out = options.out().resolve(Instant.now().toString().replace(':', '-').substring(0, 19));
        Files.createDirectories(out);
        Path agent = extractAgent(out);
        Capacity capacity = new Capacity(launcher);
        System.out.printf("%n== warm-up: %.0f orders/s for %d s (not profiled)%n", options.rate(),
                options.warmUp().toSeconds());
        capacity.measure(options.rate(), options.warmUp());

        Map<String, Long> jvms = new LinkedHashMap<>();
        for (Component component : launcher.components()) {
            if (component.command().get(0).endsWith("java")) {
                launcher.running(component).ifPresent(p -> jvms.put(component.name(), p.pid()));
            }
        }
        jvms.forEach((name, pid) -> command(pid, agent, "start,event=cpu,interval=" + INTERVAL_MILLIS + "ms"));
        System.out.printf("%n== profiling %d JVMs at %.0f orders/s for %d s%n", jvms.size(), options.rate(),
                options.duration().toSeconds());
        Capacity.Step step;
        try {
            step = capacity.measure(options.rate(), options.duration());
        } finally {
            jvms.forEach((name, pid) -> {
                command(pid, agent, "dump,collapsed,file=" + out.resolve(name + ".collapsed"));
                command(pid, agent, "stop,file=" + out.resolve(name + ".html") + ",title=" + name);
            });
        }
        System.out.printf(Locale.ROOT, "%n%d accepted, %.1f completed/s, placed -> final p50 %.3f s, p99 %.3f s%n",
                step.accepted(), step.completedPerSecond(), step.p50(), step.p99());
        System.out.printf(Locale.ROOT, "CPU per completed saga (from /proc), total %.1f ms:%n",
                step.cpuMillisPerSaga());
        step.usage().forEach((name, usage) -> System.out.printf(Locale.ROOT, "  %-28s %6.1f ms  (%3.0f %% of a core)%n",
                name, step.cpuMillisPerSaga(name), usage.cpuPercent()));
        for (String name : jvms.keySet()) {
            Path collapsed = out.resolve(name + ".collapsed");
            if (!Files.exists(collapsed)) {
                System.out.println("\n" + name + ": no profile (see its log)");
                continue;
            }
            HotMethods hot = HotMethods.read(collapsed);
            Files.writeString(out.resolve(name + "-hot.txt"), hot.report(TOP));
            System.out.printf(Locale.ROOT, "%n%s: %d samples (%.0f ms of CPU); by category:%n", name,
                    hot.samples(), (double) hot.samples() * INTERVAL_MILLIS);
            hot.byCategory().forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n",
                    100.0 * e.getValue() / hot.samples(), e.getKey()));
            System.out.println("  hottest by self time:");
            hot.bySelf().stream().limit(5).forEach(e -> System.out.printf(Locale.ROOT, "  %5.1f %%  %s%n",
                    100.0 * e.getValue() / hot.samples(), e.getKey()));
        }
        System.out.println("\nFlame graphs and hot methods: " + out);
    }

    /** One command to the async-profiler agent in {@code pid}; the agent stays loaded between commands. */
    private static void command(long pid, Path agent, String command) {
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                vm.loadAgentPath(agent.toString(), command);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            System.out.println("  pid " + pid + ": '" + command + "' failed: " + e);
        }
    }

    /** The agent for this platform, copied out of the async-profiler jar on the class path. */
    private static Path extractAgent(Path dir) throws IOException {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String platform = os.contains("mac") ? "macos"
                : "linux-" + (arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "x64");
        try (InputStream in = Profiler.class.getResourceAsStream("/" + platform + "/libasyncProfiler.so")) {
            if (in == null) {
                throw new IllegalStateException("async-profiler has no agent for " + platform);
            }
            Path agent = dir.resolve("libasyncProfiler.so");
            Files.copy(in, agent, StandardCopyOption.REPLACE_EXISTING);
            return agent;
        }
    }

    /**
     * Samples per method from collapsed stacks: self (the top frame) and total (anywhere on the
     * stack), and per {@link #CATEGORIES category}.
     */
    record HotMethods(long samples, Map<String, Long> self, Map<String, Long> total, Map<String, Long> categories) {

        static HotMethods read(Path collapsed) throws IOException {
            Map<String, Long> self = new HashMap<>();
            Map<String, Long> total = new HashMap<>();
            Map<String, Long> categories = new HashMap<>();
            long samples = 0;
            for (String line : Files.readAllLines(collapsed)) {
                int space = line.lastIndexOf(' ');
                if (space < 0) {
                    continue;
                }
                long count = Long.parseLong(line.substring(space + 1));
                String[] frames = line.substring(0, space).split(";");
                samples += count;
                self.merge(frames[frames.length - 1], count, Long::sum);
                categories.merge(category(line.substring(0, space)), count, Long::sum);
                Set<String> seen = new HashSet<>();
                for (String frame : frames) {
                    if (seen.add(frame)) {
                        total.merge(frame, count, Long::sum);
                    }
                }
            }
            return new HotMethods(samples, self, total, categories);
        }

        private static String category(String stack) {
            return CATEGORIES.stream().filter(c -> c.getValue().stream().anyMatch(stack::contains))
                    .map(Map.Entry::getKey).findFirst().orElse("other");
        }

        List<Map.Entry<String, Long>> bySelf() {
            return sorted(self);
        }

        List<Map.Entry<String, Long>> byCategory() {
            return sorted(categories);
        }

        String report(int top) {
            StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d samples of %d ms%n%nBy category:%n",
                    samples, INTERVAL_MILLIS));
            sorted(categories).forEach(e -> text.append(line(e)));
            text.append(String.format("%nBy self time:%n"));
            sorted(self).stream().limit(top).forEach(e -> text.append(line(e)));
            text.append(String.format("%nBy total time (the method and what it calls):%n"));
            sorted(total).stream().limit(top).forEach(e -> text.append(line(e)));
            return text.toString();
        }

        private String line(Map.Entry<String, Long> e) {
            return String.format(Locale.ROOT, "%6.1f %%  %s%n", 100.0 * e.getValue() / samples, e.getKey());
        }

        private static List<Map.Entry<String, Long>> sorted(Map<String, Long> counts) {
            List<Map.Entry<String, Long>> entries = new ArrayList<>(counts.entrySet());
            entries.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()));
            return entries;
        }
    }

    /** The options of {@code local-stack.sh profile}. */
    public static final class Arguments {

        @Option(names = "--rate", paramLabel = "<orders/s>", defaultValue = "10",
                description = "New orders per second, in the warm-up and the profile. Default: ${DEFAULT-VALUE}.")
        private double rate;

        @Option(names = "--duration", paramLabel = "<seconds>", defaultValue = "60",
                description = "How long the profilers record. Default: ${DEFAULT-VALUE}.")
        private long duration;

        @Option(names = "--warm-up", paramLabel = "<seconds>", defaultValue = "60",
                description = "Load before the profile, not profiled. Default: ${DEFAULT-VALUE}.")
        private long warmUp;

        @Option(names = "--out", paramLabel = "<dir>", description = "Where a folder per run goes, with a flame"
                + " graph, the collapsed stacks and the hot methods per process. Default: target/profiles.")
        private Path out;

        public Options options(Path repository) {
            return new Options(rate, Duration.ofSeconds(duration), Duration.ofSeconds(warmUp),
                    out == null ? repository.resolve("target/profiles") : out.toAbsolutePath());
        }
    }

    public record Options(double rate, Duration duration, Duration warmUp, Path out) {
    }
}
