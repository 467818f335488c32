package io.shopflow.relay;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.contracts.KafkaConnection;
import io.shopflow.relay.RelaySettings.Mode;
import io.shopflow.relay.RelaySettings.Source;
import io.shopflow.testing.KafkaBroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A relay in a child JVM, so that a test can kill it the hard way ({@link #kill()}: no shutdown
 * hook, no flush, no last deletes or slot confirmation). {@link #main} is the child's entry point.
 */
final class RelayProcess {

    private static final String STREAMING = "RELAY-STREAMING";

    private final Process process;
    private final CountDownLatch streaming = new CountDownLatch(1);

    private RelayProcess(Process process, Path log) {
        this.process = process;
        Thread pump = new Thread(() -> pump(log), "relay-process-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts a child JVM relaying {@code source} and waits until it streams. */
    static RelayProcess start(Mode mode, KafkaConnection kafka, Source source) {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", classpath, RelayProcess.class.getName(),
                mode.name(), kafka.bootstrapServers(), kafka.principal().orElseThrow(), source.name(),
                source.jdbcUrl(), source.username(), source.password());
        try {
            Path log = Path.of("target", "relay-process-" + source.name() + ".log");
            RelayProcess relay = new RelayProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), log);
            if (!relay.streaming.await(90, TimeUnit.SECONDS)) {
                relay.kill();
                throw new IllegalStateException("The relay process did not stream within 90 s; see " + log);
            }
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: the relay gets no chance to flush or commit anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private void pump(Path log) {
        try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.contains(STREAMING)) {
                    streaming.countDown();
                }
                Files.writeString(log, line + System.lineSeparator(), StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            // The process is gone; so is its output.
        }
    }

    /**
     * Child entry point: {@code mode bootstrap kafkaPrincipal sourceName jdbcUrl username password}; the principal
     * logs in with its {@link KafkaBroker#password(String) development password}.
     */
    public static void main(String[] args) throws InterruptedException {
        RelaySettings settings = RelaySettings.defaults(Mode.valueOf(args[0]),
                KafkaConnection.scram(args[1], args[2], KafkaBroker.password(args[2])),
                new Source(args[3], args[4], args[5], args[6])).withRetries(Duration.ofMillis(100),
                Duration.ofSeconds(2), Duration.ofSeconds(5));
        Relay relay = Relay.start(settings, new SimpleMeterRegistry());
        // No limit of its own: start() gives the child 90 s to say it streams, then kills it.
        await().forever().pollInterval(Duration.ofMillis(50)).until(relay::isStreaming);
        System.out.println(STREAMING);
        Thread.sleep(Long.MAX_VALUE);
    }
}
