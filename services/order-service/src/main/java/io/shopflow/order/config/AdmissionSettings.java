package io.shopflow.order.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * {@code shopflow.admission.*}: when {@code POST /orders} refuses new orders because the system
 * is behind (ADR 9). The defaults fit the local stack (about 12 completed sagas/s on 2 cores).
 */
@ConfigMapping(prefix = "shopflow.admission")
public interface AdmissionSettings {

    /** Off: every request is admitted; the work in flight is still measured for the gauges. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Refused while more PENDING orders than this are in flight. Catches a burst within one
     * refresh, before the oldest of its orders has grown old enough for the age bound.
     */
    @WithDefault("200")
    int maxPending();

    /** Refused while the oldest PENDING order in flight is older than this: new ones would not finish in time. */
    @WithDefault("2s")
    Duration maxOldestPendingAge();

    /**
     * PENDING orders placed longer ago than this are late or stuck sagas (the saga's STUCK state
     * and its alert cover them), not work in flight: left out, so that one stuck saga cannot
     * close the edge for good.
     */
    @WithDefault("60s")
    Duration staleAfter();

    /** How often the work in flight is read (one query; requests decide on the last answer). */
    @WithDefault("250ms")
    Duration refreshInterval();

    /** Most seconds a refusal's {@code Retry-After} asks a client to wait. */
    @WithDefault("5s")
    Duration maxRetryAfter();
}
