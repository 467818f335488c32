package io.shopflow.order.adapter.timer;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shopflow.order.application.Admission;
import io.shopflow.order.config.AdmissionSettings;
import io.shopflow.outbox.Tracing;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * The ONE refresher of admission control (ADR 9): renews {@link Admission}'s snapshot of the work
 * in flight every {@code shopflow.admission.refresh-interval} on a Vert.x timer, the next read
 * starting only after the previous one ended.
 */
@ApplicationScoped
class AdmissionRefresher {

    private static final Logger LOG = Logger.getLogger(AdmissionRefresher.class);

    /** A read that has not answered by then is given up, so that a lost connection cannot stop the refresher. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Admission admission;
    private final long refreshMillis;
    private final Vertx vertx;
    private volatile boolean readFailing;
    private volatile boolean stopped;
    private volatile long timer = -1;

    AdmissionRefresher(Admission admission, AdmissionSettings settings, Vertx vertx) {
        this.admission = admission;
        this.refreshMillis = Math.max(1, settings.refreshInterval().toMillis());
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        refresh();
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        vertx.cancelTimer(timer);
    }

    private void refresh() {
        if (stopped) {
            return;
        }
        // A duplicated context of its own, like a request's: Quarkus keeps the OpenTelemetry
        // context there, and untraced keeps this housekeeping read out of the traces.
        VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext()).runOnContext(ignored -> Tracing
                .untraced(admission::refresh)
                .ifNoItem().after(READ_TIMEOUT).fail()
                .subscribe().with(done -> refreshed(), this::readFailed));
    }

    private void refreshed() {
        if (readFailing) {
            readFailing = false;
            LOG.info("Admission control reads the work in flight again");
        }
        scheduleNext();
    }

    private void readFailed(Throwable failure) {
        // Logged once per outage rather than four times a second; the database's own alerts say more.
        if (!stopped && !readFailing) {
            readFailing = true;
            LOG.warnf("Admission control cannot read the work in flight (%s); it decides on the last snapshot",
                    failure.toString());
        }
        scheduleNext();
    }

    private void scheduleNext() {
        if (!stopped) {
            timer = vertx.setTimer(refreshMillis, id -> refresh());
        }
    }
}
