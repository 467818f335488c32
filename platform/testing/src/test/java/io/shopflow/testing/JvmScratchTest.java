package io.shopflow.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The shared servers of a test JVM take their data with them when it exits: before, each test JVM left
 * a PostgreSQL cluster and a Kafka log in {@code java.io.tmpdir}, until CI's disk was full.
 */
class JvmScratchTest {

    private static final String RUNNING_IN = "running in: ";

    @Test
    void theSharedServersDeleteTheirDataDirectoriesWhenTheJvmExits(@TempDir Path tmp) throws Exception {
        Path javaTmp = Files.createDirectory(tmp.resolve("java-tmp"));
        Path output = tmp.resolve("output.txt");
        Process jvm = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + javaTmp,
                // zonky's extracted binaries stay where the other tests keep them: only the data is new here.
                "-Dot.epg.working-dir=" + Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg"),
                SharedServers.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(jvm.waitFor(180, TimeUnit.SECONDS)).as("the JVM exited").isTrue();
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(jvm.exitValue()).as(printed).isZero();

        List<String> whileRunning = printed.lines().filter(line -> line.startsWith(RUNNING_IN))
                .flatMap(line -> Stream.of(line.substring(RUNNING_IN.length()).split(" "))).toList();
        assertThat(whileRunning).as("while they ran")
                .anyMatch(name -> name.startsWith("shopflow-pg"))
                .anyMatch(name -> name.startsWith("shopflow-kafka"));
        assertThat(names(javaTmp)).as("after the JVM exited").noneMatch(name -> name.startsWith("shopflow-"));
    }

    @Test
    void aServerThatDoesNotStartLeavesNoDirectory() {
        AtomicReference<Path> given = new AtomicReference<>();

        assertThatThrownBy(() -> JvmScratch.start("shopflow-failing", directory -> {
            given.set(directory);
            throw new IllegalStateException("did not start");
        })).hasMessage("did not start");

        assertThat(given.get()).isNotNull().doesNotExist();
    }

    private static List<String> names(Path directory) throws Exception {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.map(Path::getFileName).map(Path::toString).sorted().toList();
        }
    }

    /** The child JVM: starts both shared servers, says which directories they run in, exits. */
    static final class SharedServers {

        public static void main(String[] args) throws Exception {
            PostgresServer.shared();
            KafkaBroker.shared();
            System.out.println(RUNNING_IN + String.join(" ", names(Path.of(System.getProperty("java.io.tmpdir")))));
            System.exit(0);
        }
    }
}
