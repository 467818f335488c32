package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.Component;
import io.shopflow.localstack.launcher.Launcher;
import io.shopflow.localstack.launcher.OpsClient;
import io.shopflow.localstack.launcher.ProbeOrder;
import io.shopflow.localstack.launcher.StackLayout;
import io.shopflow.localstack.launcher.StackProcess;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * What the stack costs a developer's machine ({@code local-stack.sh footprint [--orders 1000] [--rate 25]
 * [--idle 30]}), from a stopped stack: {@code up} with each process's time from spawn to ready and the time until
 * all are; the first order's placed -> final right after (order-service's timestamps, and as the client saw it:
 * POST to final); each process's RSS, PSS and CPU over an idle window; then {@code --orders} accepted orders at
 * {@code --rate} and the same figures over a second idle window; last, each application restarted alone, for its
 * time to ready when it does not share the cores with the others. Prints a table, with the targets of "lean
 * processes" beside the figures. On a fresh data folder ({@code rm -rf .local-stack/data}) the first order also
 * pays for creating topics and consumer groups; the header says which it was.
 */
public final class Footprint {

    private static final double TARGET_READY_SECONDS = 2;
    private static final double TARGET_UP_SECONDS = 30;
    private static final long TARGET_RSS_MIB = 200;
    private static final double TARGET_FIRST_ORDER_SECONDS = 2;
    /** Lets the work of the step before (start-up, the load's last sagas) settle before an idle window. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private final Launcher launcher;
    private final StackLayout layout;

    public Footprint(Launcher launcher) {
        this.launcher = launcher;
        this.layout = launcher.layout();
    }

    /** Exit code 0, or 1 when some process was already running (the figures need a stopped stack). */
    public int run(Options options) throws Exception {
        List<String> running = launcher.components().stream().filter(c -> launcher.running(c).isPresent())
                .map(Component::name).toList();
        if (!running.isEmpty()) {
            System.out.println("Running: " + running + "; footprint starts the stack itself: ./local-stack.sh down first");
            return 1;
        }
        if (!ProcessSampler.supported()) {
            System.out.println("No /proc here (Linux only): memory and CPU will read 0; the times are measured.");
        }
        boolean fresh = !Files.exists(layout.root().resolve("data"));
        long upStarted = System.nanoTime();
        Map<String, Duration> readyIn = launcher.startAll();
        double upSeconds = (System.nanoTime() - upStarted) / 1e9;

        OpsClient ops = new OpsClient(layout);
        String run = "footprint-" + UUID.randomUUID().toString().substring(0, 6);
        ProbeOrder.Result first = ProbeOrder.place(layout, ops, run + "-first");

        Thread.sleep(SETTLE.toMillis());
        Map<String, ProcessSampler.Usage> idle = sample(options.idle());

        OrderLoad load = new OrderLoad(ops, run, options.rate(), OrderLoad.customersFor(options.orders()));
        load.start();
        // Until that many were accepted: a stack just started refuses some (admission control, 503).
        while (load.accepted().size() < options.orders()) {
            Thread.sleep(100);
        }
        load.stop();
        int unfinished = new Invariants(layout).awaitFinal(load.accepted(), Capacity.DRAIN_TIMEOUT);
        Thread.sleep(SETTLE.toMillis());
        Map<String, ProcessSampler.Usage> after = sample(options.idle());
        Map<String, Duration> alone = restartEachAlone();

        if (load.refused() > 0) {
            System.out.println("Refused while placing the orders: " + load.refusals());
        }
        print(fresh, readyIn, alone, upSeconds, first, idle, after, load.accepted().size(), unfinished, options);
        return 0;
    }

    private Map<String, ProcessSampler.Usage> sample(Duration window) throws InterruptedException {
        ProcessSampler sampler = new ProcessSampler(ProcessSampler.stack(launcher));
        sampler.start();
        Thread.sleep(window.toMillis());
        return sampler.stop();
    }

    /**
     * Each application restarted on its own, the rest of the stack idle: its time to ready when it has the machine,
     * against its time in {@code up}, where all of them share two cores.
     */
    private Map<String, Duration> restartEachAlone() throws Exception {
        Map<String, Duration> alone = new LinkedHashMap<>();
        for (Component component : launcher.components()) {
            if (component.aotCache().isPresent()) {
                alone.putAll(launcher.restart(component, false));
            }
        }
        return alone;
    }

    private static void print(boolean fresh, Map<String, Duration> readyIn, Map<String, Duration> alone, double upSeconds, ProbeOrder.Result first,
                              Map<String, ProcessSampler.Usage> idle, Map<String, ProcessSampler.Usage> after,
                              int orders, int unfinished, Options options) {
        System.out.printf(Locale.ROOT, "%nFootprint of the local stack, %s, %d cores, %s, %s data folder:%n",
                Instant.now(), Runtime.getRuntime().availableProcessors(), Runtime.version(), fresh ? "a fresh" : "an existing");
        System.out.printf(Locale.ROOT, "up: every process ready %.1f s after the command (target <= %.0f s: %s)%n",
                upSeconds, TARGET_UP_SECONDS, verdict(upSeconds <= TARGET_UP_SECONDS));
        System.out.printf(Locale.ROOT, "first order: placed -> final %.3f s (order-service's timestamps), POST -> final"
                        + " %.3f s as the client saw it (target <= %.0f s: %s)%n",
                first.placedToFinal().toMillis() / 1000.0, first.postToFinal().toMillis() / 1000.0,
                TARGET_FIRST_ORDER_SECONDS, verdict(first.postToFinal().toMillis() <= TARGET_FIRST_ORDER_SECONDS * 1000));
        System.out.printf(Locale.ROOT, "then %d orders at %.0f/s (%d not final after %d s); idle windows of %d s,"
                        + " %d s after the step before%n", orders, options.rate(), unfinished,
                Capacity.DRAIN_TIMEOUT.toSeconds(), options.idle().toSeconds(), SETTLE.toSeconds());
        System.out.printf(Locale.ROOT, "%n| process | ready in (up) | ready in (alone) | idle: RSS / PSS MiB, CPU %% of a core | after %d orders,"
                + " idle: RSS / PSS MiB, CPU %% |%n| --- | --- | --- | --- | --- |%n", orders);
        idle.forEach((name, before) -> {
            Duration ready = readyIn.get(name.equals(ProcessSampler.KAFKA) ? StackProcess.INFRASTRUCTURE : name);
            ProcessSampler.Usage later = after.get(name);
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s |%n", name, seconds(ready),
                    seconds(alone.get(name)), usage(before), later == null ? "-" : usage(later));
        });
        List<String> slow = alone.entrySet().stream()
                .filter(e -> e.getValue().toMillis() > TARGET_READY_SECONDS * 1000).map(Map.Entry::getKey).toList();
        System.out.printf(Locale.ROOT, "%nReady within %.0f s of spawn, alone: %s%n", TARGET_READY_SECONDS,
                slow.isEmpty() ? "every application" : "not " + slow);
        List<String> large = after.entrySet().stream()
                .filter(e -> !e.getKey().equals(ProcessSampler.LOAD_GENERATOR) && !e.getKey().startsWith("postgresql")
                        && e.getValue().maxRssMegabytes() > TARGET_RSS_MIB)
                .map(Map.Entry::getKey).toList();
        System.out.printf(Locale.ROOT, "RSS at most %d MiB after the load: %s%n", TARGET_RSS_MIB,
                large.isEmpty() ? "every JVM" : "not " + large);
    }

    private static String seconds(Duration duration) {
        return duration == null ? "-" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static String usage(ProcessSampler.Usage usage) {
        return String.format(Locale.ROOT, "%d / %d MiB, %.1f %%", usage.maxRssMegabytes(), usage.maxPssMegabytes(),
                usage.cpuPercent());
    }

    private static String verdict(boolean met) {
        return met ? "met" : "missed";
    }

    /** The options of {@code local-stack.sh footprint}. */
    public static final class Arguments {

        @Spec(Spec.Target.MIXEE)
        private CommandSpec command;

        @Option(names = "--orders", paramLabel = "<orders>", defaultValue = "1000",
                description = "The orders between the two idle windows. Default: ${DEFAULT-VALUE}.")
        private int orders;

        @Option(names = "--rate", paramLabel = "<orders/s>", defaultValue = "25",
                description = "Their rate, low enough for a stack just started. Default: ${DEFAULT-VALUE}.")
        private double rate;

        @Option(names = "--idle", paramLabel = "<seconds>", defaultValue = "30",
                description = "Each idle window. Default: ${DEFAULT-VALUE}.")
        private long idle;

        /** The options, checked: orders, a rate and an idle window, each more than 0. */
        public Options options() {
            if (orders <= 0 || rate <= 0 || idle <= 0) {
                throw new ParameterException(command.commandLine(),
                        "--orders, --rate and --idle must each be more than 0");
            }
            return new Options(orders, rate, Duration.ofSeconds(idle));
        }
    }

    public record Options(int orders, double rate, Duration idle) {
    }
}
