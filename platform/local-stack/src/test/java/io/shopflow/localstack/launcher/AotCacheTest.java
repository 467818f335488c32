package io.shopflow.localstack.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When {@code up} trains an application's AOT cache again, and the command it then starts it with. */
class AotCacheTest {

    private static final List<String> COMMAND = List.of("java", "-XX:+UseSerialGC", "-jar", "quarkus-run.jar");

    @TempDir
    Path dir;

    @Test
    void isStaleUntilTrainedThenAfterAnyChangeOfTheApplicationOrTheCommand() throws Exception {
        Path app = Files.createDirectories(dir.resolve("quarkus-app/lib"));
        Path jar = Files.writeString(app.resolve("a.jar"), "one");
        AotCache cache = new AotCache(dir.resolve("aot/app.aot"), dir.resolve("quarkus-app"));
        Component component = new Component("app", COMMAND, java.util.Optional.empty(), java.util.Optional.empty(),
                List.of(), java.util.Optional.of(cache));
        assertThat(cache.isFresh(COMMAND)).as("no cache yet").isFalse();
        assertThat(component.needsTraining()).isEqualTo(AotCache.supported());

        Files.createDirectories(cache.file().getParent());
        Files.writeString(cache.file(), "the JVM's cache");
        cache.trained(COMMAND);
        assertThat(cache.isFresh(COMMAND)).isTrue();
        assertThat(component.needsTraining()).isFalse();
        if (AotCache.supported()) {
            assertThat(component.launchCommand(false)).containsExactly("java", "-XX:AOTCache=" + cache.file(),
                    "-XX:+UseSerialGC", "-jar", "quarkus-run.jar");
            assertThat(component.launchCommand(true)).contains("-XX:AOTCacheOutput=" + cache.file());
        }

        assertThat(cache.isFresh(List.of("java", "-XX:+UseParallelGC", "-jar", "quarkus-run.jar")))
                .as("another command: the JVM would ignore the cache").isFalse();
        Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(60)));
        assertThat(cache.isFresh(COMMAND)).as("a rebuilt jar").isFalse();
        assertThat(component.launchCommand(false)).as("a stale cache is not used").isEqualTo(COMMAND);
    }
}
