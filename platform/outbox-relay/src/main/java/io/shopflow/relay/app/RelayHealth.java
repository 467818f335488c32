package io.shopflow.relay.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness: UP only while every source streams (DOWN while starting and, for CDC, while the
 * start-up scan runs, while a lost connection is being re-established, and once stopped).
 * Liveness: the source loops run; they retry every failure themselves, so only a bug or a
 * shutdown ends them.
 */
@ApplicationScoped
class RelayHealth {

    private final RelayService relay;

    RelayHealth(RelayService relay) {
        this.relay = relay;
    }

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck streaming() {
        return () -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox-relay streaming")
                    .status(relay.isStreaming());
            relay.streamingBySource().forEach((source, streaming) ->
                    response.withData(source, streaming ? "streaming" : "not streaming"));
            return response.build();
        };
    }

    @Produces
    @Liveness
    @ApplicationScoped
    HealthCheck alive() {
        return () -> HealthCheckResponse.named("outbox-relay").status(relay.isAlive()).build();
    }
}
