package io.shopflow.providersim;

/**
 * How the simulated provider misbehaves: a fixed extra latency, a share of requests that fail
 * with 503, and a full outage (every request fails at once).
 */
record Behaviour(long latencyMillis, double errorRate, boolean outage) {

    static final Behaviour HEALTHY = new Behaviour(0, 0.0, false);

    Behaviour {
        if (latencyMillis < 0 || latencyMillis > 60_000) {
            throw new IllegalArgumentException("latencyMillis must be within 0..60000");
        }
        if (errorRate < 0.0 || errorRate > 1.0) {
            throw new IllegalArgumentException("errorRate must be within 0..1");
        }
    }

    String toJson() {
        return "{\"latencyMillis\":" + latencyMillis + ",\"errorRate\":" + errorRate + ",\"outage\":" + outage + "}";
    }
}
