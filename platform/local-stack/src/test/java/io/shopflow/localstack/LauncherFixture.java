package io.shopflow.localstack;

import io.shopflow.localstack.launcher.StackLayout;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher's command line as {@code local-stack.sh} runs it, over the repository's stack, in this JVM.
 * Only for what never reaches a process: parsing, help, usage errors and {@code token}.
 */
public final class LauncherFixture {

    /** What a command printed through picocli, and its exit code. */
    public record Result(int exitCode, String out, String err) {
    }

    private LauncherFixture() {
    }

    /** {@code args} parsed as the launcher parses them: the options mixin of the command they name. */
    public static <T> T arguments(Class<T> type, String... args) {
        CommandSpec command = launcher().parseArgs(args).subcommand().commandSpec();
        return command.mixins().values().stream().map(CommandSpec::userObject).filter(type::isInstance)
                .map(type::cast).findFirst().orElseThrow();
    }

    /** {@code args} executed as {@code main} executes them, with the exit code returned instead of exiting. */
    public static Result execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = launcher().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /**
     * {@code args} executed as a usage error: exit code 2, nothing on stdout, and on stderr the message, then the
     * usage, and no stack trace. Returns stderr.
     */
    public static String usageError(String... args) {
        Result result = execute(args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("Usage: local-stack.sh").doesNotContain("Exception", "\tat ");
        return result.err();
    }

    private static CommandLine launcher() {
        return LocalStack.commandLine(new LocalStack(StackLayout.fromEnvironment(StackCommand.REPOSITORY)));
    }
}
