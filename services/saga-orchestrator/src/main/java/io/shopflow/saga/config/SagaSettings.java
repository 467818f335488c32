package io.shopflow.saga.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code shopflow.saga.*}: deadlines and the deadline scan (ADR 4, ADR 8). */
@ConfigMapping(prefix = "shopflow.saga")
public interface SagaSettings {

    /** How long a step waits for its reply before its command is resent (doubling each time). */
    @WithDefault("10s")
    Duration stepTimeout();

    /** Longest wait between resends. */
    @WithDefault("60s")
    Duration deadlineCap();

    /** Sends of one step's command before it compensates (or, past the pivot, waits for an operator). */
    @WithDefault("3")
    int maxAttempts();

    /**
     * How long a step may wait, from when it was entered, while its command or reply is still
     * queued in a healthy queue, before resends and compensation apply again; 0 never waits.
     */
    @WithDefault("2m")
    Duration maxQueuedWait();

    /** Share of a resend's wait taken off at random (0.5: equal jitter), so resends do not move in waves. */
    @WithDefault("0.5")
    double resendJitter();

    /** How often each instance scans for passed deadlines (read by the scheduler). */
    @WithDefault("1s")
    Duration scanInterval();

    /** How many due sagas one scan handles, per instance. */
    @WithDefault("100")
    int scanBatch();

    /** How many commands one scan resends, per instance; the other due resends wait for later scans. */
    @WithDefault("20")
    int maxResendsPerScan();
}
