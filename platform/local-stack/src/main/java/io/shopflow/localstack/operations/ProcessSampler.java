package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.Component;
import io.shopflow.localstack.launcher.Launcher;
import io.shopflow.localstack.launcher.StackLayout;
import io.shopflow.localstack.launcher.StackProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * CPU and memory of the stack's processes over a window, for the measurements (capacity, footprint): samples
 * {@code /proc/<pid>/stat} (CPU ticks) and {@code /proc/<pid>/smaps_rollup} (RSS and PSS) every five seconds and
 * at the end; a process group's CPU is the sum over its processes of the ticks used between the first and the last
 * sample (PostgreSQL backends that start during the window count from zero).
 *
 * <p>Linux only: where there is no {@code /proc} ({@link #supported()} false, macOS) every figure is zero and the
 * commands say so.
 */
final class ProcessSampler {

    /** The name of the launcher's own process in the figures: the load generator, not part of the stack. */
    static final String LOAD_GENERATOR = "load generator";
    /** The infrastructure JVM's name in the figures: Kafka runs in it, PostgreSQL in processes of its own. */
    static final String KAFKA = "kafka (infrastructure JVM)";
    private static final long TICKS_PER_SECOND = 100;

    /** CPU as a share of one core over the window, and the highest memory seen (PSS and RSS, MiB). */
    record Usage(double cpuPercent, long maxPssMegabytes, long maxRssMegabytes) {
    }

    private final Map<String, Supplier<List<ProcessHandle>>> groups;
    private final Map<Long, long[]> ticks = new ConcurrentHashMap<>();
    private final Map<String, long[]> maxMemory = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "process-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private long startNanos;
    private volatile boolean sampled;

    ProcessSampler(Map<String, Supplier<List<ProcessHandle>>> groups) {
        this.groups = groups;
    }

    /** True where the figures can be read ({@code /proc}, Linux). */
    static boolean supported() {
        return Files.isReadable(Path.of("/proc/self/smaps_rollup"));
    }

    /**
     * The stack's running processes by name, each group re-read at every sample (PostgreSQL forks backends), and the
     * launcher itself as {@value #LOAD_GENERATOR}.
     */
    static Map<String, Supplier<List<ProcessHandle>>> stack(Launcher launcher) {
        StackLayout layout = launcher.layout();
        Map<String, Supplier<List<ProcessHandle>>> processes = new LinkedHashMap<>();
        for (Component component : launcher.components()) {
            launcher.running(component).ifPresent(p -> processes.put(
                    component.name().equals(StackProcess.INFRASTRUCTURE) ? KAFKA : component.name(),
                    () -> List.of(p)));
        }
        // pg_ctl detaches the postmaster from the infrastructure JVM: find it by its pid file.
        processes.put("postgresql (all backends)", () -> postmaster(layout)
                .map(p -> Stream.concat(Stream.of(p), p.descendants()).toList())
                .orElse(List.of()));
        processes.put(LOAD_GENERATOR, () -> List.of(ProcessHandle.current()));
        return processes;
    }

    private static Optional<ProcessHandle> postmaster(StackLayout layout) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readAllLines(layout.postgresData().resolve("postmaster.pid"))
                    .get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void start() {
        startNanos = System.nanoTime();
        // Every 5 s: reading smaps_rollup of ~50 processes every second cost the load generator 15 % of a core.
        scheduler.scheduleAtFixedRate(this::sample, 0, 5, TimeUnit.SECONDS);
    }

    Map<String, Usage> stop() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        sample();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        Map<String, Usage> usage = new LinkedHashMap<>();
        groups.forEach((name, processes) -> {
            long used = processes.get().stream().mapToLong(p -> {
                long[] firstLast = ticks.get(p.pid());
                return firstLast == null ? 0 : firstLast[1] - firstLast[0];
            }).sum();
            long[] memory = maxMemory.getOrDefault(name, new long[2]);
            usage.put(name, new Usage(100.0 * used / TICKS_PER_SECOND / seconds, memory[0] / 1024, memory[1] / 1024));
        });
        return usage;
    }

    private void sample() {
        groups.forEach((name, processes) -> {
            long pss = 0;
            long rss = 0;
            for (ProcessHandle p : processes.get()) {
                long cpu = cpuTicks(p.pid());
                if (cpu >= 0) {
                    // A process first seen after the first sample started during the window.
                    ticks.compute(p.pid(), (pid, firstLast) -> firstLast == null
                            ? new long[] {sampled ? 0 : cpu, cpu} : new long[] {firstLast[0], cpu});
                    long[] memory = memoryKilobytes(p.pid());
                    pss += memory[0];
                    rss += memory[1];
                }
            }
            long[] now = {pss, rss};
            maxMemory.merge(name, now, (a, b) -> new long[] {Math.max(a[0], b[0]), Math.max(a[1], b[1])});
        });
        sampled = true;
    }

    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Proportional set size (shared memory, PostgreSQL's shared buffers or a mapped AOT cache, split among its users)
     * and resident set size, kB.
     */
    private static long[] memoryKilobytes(long pid) {
        long[] memory = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
                if (line.startsWith("Pss:")) {
                    memory[0] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Rss:")) {
                    memory[1] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Gone meanwhile, or no /proc: nothing to add.
        }
        return memory;
    }
}
