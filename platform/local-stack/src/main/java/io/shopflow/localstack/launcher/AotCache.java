package io.shopflow.localstack.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JDK AOT cache of one Quarkus application of the local stack (JEP 483/514/515, ADR 13): classes loaded and
 * linked, and method profiles, from a training run, so that later starts skip that work. {@code up} trains it when
 * it is missing or stale, by starting the application with {@link #trainingOption()} until it is ready and stopping
 * it (the JVM writes the cache as it exits); later starts add {@link #option()}.
 *
 * <p>The JVM checks a cache against its own version and options and ignores one that does not match, silently; it
 * is not guaranteed to notice changed jars. So the launcher keeps a stamp beside the cache (the Java runtime, the
 * JVM options of the command, and the path, size and time of every file of the application) and trains again when
 * it differs: after every build, and after a change of JVM options. System properties (ports, URLs) do not count:
 * instances of one application, and stacks on other ports sharing a cache folder, use the same cache.
 */
public record AotCache(Path file, Path application) {

    /** JDK 25 writes a cache at exit with {@code -XX:AOTCacheOutput} alone (JEP 514). */
    static boolean supported() {
        return Runtime.version().feature() >= 25;
    }

    String option() {
        return "-XX:AOTCache=" + file;
    }

    String trainingOption() {
        return "-XX:AOTCacheOutput=" + file;
    }

    /** True when the cache exists and was trained for {@code command} on the application as it is now. */
    boolean isFresh(List<String> command) {
        try {
            return Files.exists(file) && Files.exists(stampFile())
                    && Files.readString(stampFile()).equals(stamp(command));
        } catch (IOException e) {
            return false;
        }
    }

    /** After a training run of {@code command}: the cache it wrote is the one for the application as it is now. */
    void trained(List<String> command) throws IOException {
        if (Files.exists(file)) {
            Files.writeString(stampFile(), stamp(command));
        }
    }

    private Path stampFile() {
        return file.resolveSibling(file.getFileName() + ".stamp");
    }

    private String stamp(List<String> command) {
        List<String> lines = new ArrayList<>();
        lines.add(Runtime.version().toString());
        lines.add(application.toAbsolutePath().toString());
        command.stream().filter(argument -> argument.startsWith("-X")).forEach(lines::add);
        try (Stream<Path> files = Files.walk(application)) {
            files.filter(Files::isRegularFile).sorted().forEach(f -> {
                try {
                    lines.add(application.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(String.join("\n", lines).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
