package io.shopflow.localstack;

import io.shopflow.testing.DevTokens;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@code local-stack.sh <command>} as a user runs it, with the test's own ports and folder in {@code environment}. */
public record StackCommand(Map<String, String> environment) {

    public static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    /** The AOT caches of every stack the tests start (ADR 13). */
    public static final Path AOT_CACHES = Path.of("target/it-aot-caches").toAbsolutePath();

    public record Result(int exitCode, String output) {
    }

    public Result run(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("bash", REPOSITORY.resolve("local-stack.sh").toString()));
        cmd.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(REPOSITORY.toFile()).redirectErrorStream(true);
        // One folder of AOT caches for every stack the tests start: trained by the first, used by the others.
        builder.environment().put("SHOPFLOW_LOCAL_AOT", AOT_CACHES.toString());
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        System.out.println("$ local-stack.sh " + String.join(" ", command) + "\n" + output);
        return new Result(process.exitValue(), output);
    }

    public DevTokens tokens() {
        try {
            return new DevTokens(REPOSITORY.resolve("infra/dev-keys/jwt-private.pem"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
