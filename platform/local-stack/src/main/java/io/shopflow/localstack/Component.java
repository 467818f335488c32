package io.shopflow.localstack;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One process of the local stack: how to start it (command, extra environment as NAME=value)
 * and how to tell that it is ready (its readiness endpoint, or the infrastructure's ready marker).
 */
record Component(String name, List<String> command, Optional<URI> readiness, Optional<Path> readyMarker,
                 List<String> environment) {

    Path logFile(StackLayout layout) {
        return layout.logs().resolve(name + ".log");
    }

    Path pidFile(StackLayout layout) {
        return layout.pids().resolve(name + ".pid");
    }
}
