package io.shopflow.localstack.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One process of the local stack: how to start it (command, extra environment as NAME=value), how to tell that it
 * is ready (its readiness endpoint, or the infrastructure's ready marker), and for a JVM that can use one, its AOT
 * cache.
 */
public record Component(String name, List<String> command, Optional<URI> readiness, Optional<Path> readyMarker,
                 List<String> environment, Optional<AotCache> aotCache) {

    Component(String name, List<String> command, Optional<URI> readiness, Optional<Path> readyMarker,
              List<String> environment) {
        this(name, command, readiness, readyMarker, environment, Optional.empty());
    }

    public Path logFile(StackLayout layout) {
        return layout.logs().resolve(name + ".log");
    }

    public Path pidFile(StackLayout layout) {
        return layout.pids().resolve(name + ".pid");
    }

    /** Whether {@code up} must train its AOT cache before starting it. */
    boolean needsTraining() {
        return AotCache.supported() && aotCache.isPresent() && !aotCache.get().isFresh(command);
    }

    /** The command to start it with: with its AOT cache when that is fresh, or training it when {@code training}. */
    List<String> launchCommand(boolean training) {
        if (aotCache.isEmpty() || !AotCache.supported() || !(training || aotCache.get().isFresh(command))) {
            return command;
        }
        List<String> launch = new ArrayList<>(command);
        launch.add(1, training ? aotCache.get().trainingOption() : aotCache.get().option());
        return launch;
    }
}
