package io.shopflow.testing;

import org.apache.commons.io.file.PathUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A server a test JVM starts once and keeps until it exits ({@link PostgresServer#shared()},
 * {@link KafkaBroker#shared()}), with its data in a new temporary directory that goes with it: a
 * shutdown hook stops the server, then deletes the directory. Without the deletion every test JVM left
 * its PostgreSQL cluster (some 260 MB) and its Kafka log behind in {@code java.io.tmpdir}: 653 clusters
 * (43 GB) had piled up on one machine when a CI run there failed with "No space left on device".
 *
 * <p>A JVM that is killed (SIGKILL) runs no hook, and its directory stays.
 */
final class JvmScratch {

    private JvmScratch() {
    }

    /**
     * Starts a server on a new directory named {@code prefix…} in {@code java.io.tmpdir}; a server that
     * does not start leaves no directory either.
     */
    static <T extends AutoCloseable> T start(String prefix, Function<Path, T> start) {
        Path directory;
        try {
            directory = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        T server;
        try {
            server = start.apply(directory);
        } catch (RuntimeException | Error e) {
            deleteTree(directory);
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception e) {
                System.err.println(prefix + ": could not stop the server of " + directory + ": " + e);
            } finally {
                deleteTree(directory);
            }
        }, prefix + "-stop"));
        return server;
    }

    /** Deletes {@code directory} and everything in it; one that is already gone is no error. */
    private static void deleteTree(Path directory) {
        try {
            PathUtils.deleteDirectory(directory);
        } catch (NoSuchFileException e) {
            // Already gone.
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete " + directory, e);
        }
    }
}
