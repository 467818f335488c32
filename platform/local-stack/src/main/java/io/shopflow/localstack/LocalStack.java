package io.shopflow.localstack;

import io.shopflow.localstack.launcher.Demo;
import io.shopflow.localstack.launcher.Launcher;
import io.shopflow.localstack.launcher.StackLayout;
import io.shopflow.localstack.operations.Capacity;
import io.shopflow.localstack.operations.Drills;
import io.shopflow.localstack.operations.Footprint;
import io.shopflow.localstack.operations.Profiler;
import io.shopflow.localstack.operations.Soak;
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
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code local-stack.sh}: the launcher's commands ({@code up}, {@code down}, {@code status},
 * {@code restart}, {@code demo}, {@code token}; {@link Launcher}, what a user needs to run the platform) and the
 * operations tools' ({@code drill}, {@code capacity}, {@code footprint}, {@code soak}, {@code profile}; package
 * {@code operations}, which runs the stack through the launcher). Only this class knows both: the launcher does
 * not depend on the operations tools (ArchitectureTest).
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

    private final Launcher launcher;
    private final StackLayout layout;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
            description = "Prints this help and exits.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    LocalStack(StackLayout layout) {
        this.launcher = new Launcher(layout);
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

    @Command(name = "up", description = {"Starts the infrastructure, then the services and the relay together, each"
            + " waited for until it is ready.", "local-stack.sh builds what is missing first (SHOPFLOW_REBUILD=1: all of it)."})
    void up() throws Exception {
        launcher.up();
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
        Drills drills = new Drills(launcher, knee);
        List<String> run = new ArrayList<>(names == null ? List.of() : names);
        if (all) {
            run.addAll(drills.names());
        }
        List<String> unknown = run.stream().filter(name -> !drills.names().contains(name)).toList();
        if (run.isEmpty() || !unknown.isEmpty()) {
            throw usageError("drill", (run.isEmpty() ? "Name a drill or --all" : "Unknown drill: " + unknown)
                    + "; drills: " + String.join(", ", drills.names()));
        }
        return launcher.allReady() && drills.run(run, rate, Duration.ofSeconds(hold)) ? 0 : 1;
    }

    @Command(name = "capacity", description = {
            "Throughput and latency per rate, then past the knee with --overload (docs/benchmarks.md).",
            "After a warm-up, each rate in turn: completed sagas per second, placed -> final p50/p99/max, refused"
                    + " requests, CPU and memory per process; it stops after the first step that breaks and draws"
                    + " capacity.svg."})
    int capacity(@Mixin Capacity.Arguments arguments) throws Exception {
        Capacity.Options options = arguments.options(layout.repository());
        return whenReady(() -> new Capacity(launcher).run(options));
    }

    @Command(name = "footprint", description = {
            "What the stack costs a machine, from a stopped stack: up with each process's time to ready, the first"
                    + " order's placed -> final, then RSS, PSS and CPU per process at idle, before and after"
                    + " --orders orders (docs/benchmarks.md)."})
    int footprint(@Mixin Footprint.Arguments arguments) throws Exception {
        return new Footprint(launcher).run(arguments.options());
    }

    @Command(name = "soak", description = {
            "A long run at one rate: a row a window with p99 placed -> final and the tables data retention prunes,"
                    + " then verdicts on level-off and p99 drift, and soak.svg."})
    int soak(@Mixin Soak.Arguments arguments) throws Exception {
        Soak.Options options = arguments.options(layout.repository());
        return whenReady(() -> new Soak(launcher).run(options));
    }

    @Command(name = "profile", description = {
            "A CPU profile of every JVM of the stack during a fixed-rate run (async-profiler): flame graphs, hot"
                    + " methods and CPU by category per process."})
    int profile(@Mixin Profiler.Arguments arguments) throws Exception {
        Profiler.Options options = arguments.options(layout.repository());
        return whenReady(() -> new Profiler(launcher).run(options));
    }

    /** A run against the stack. */
    private interface Measurement {
        void run() throws Exception;
    }

    /** Runs {@code measurement} when every process is ready (exit code 0); otherwise says which are not (1). */
    private int whenReady(Measurement measurement) throws Exception {
        if (!launcher.allReady()) {
            return 1;
        }
        measurement.run();
        return 0;
    }

    @Command(name = "restart", description = "Stops one process (SIGTERM, or SIGKILL with --kill) and starts it"
            + " again.")
    void restart(@Parameters(paramLabel = "<process>", description = "A process as status names it, e.g."
                    + " inventory-service.") String name,
                 @Option(names = "--kill", description = "SIGKILL (kill -9) instead of SIGTERM.") boolean kill)
            throws Exception {
        launcher.restart(name, kill);
    }

    @Command(name = "down", description = "Stops everything in reverse order (SIGTERM, then SIGKILL after 30 s);"
            + " data stays.")
    void down() throws Exception {
        launcher.down();
    }

    @Command(name = "status", description = "Shows each process: running or not, its pid, readiness and log file.")
    void status() {
        launcher.status();
    }
}
