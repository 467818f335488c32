package io.shopflow.saga.config;

import io.shopflow.saga.domain.DeadlinePolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code shopflow.saga.*}: deadlines and the deadline scan. */
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

    /** How often each instance scans for passed deadlines (read by the scheduler). */
    @WithDefault("1s")
    Duration scanInterval();

    /** How many due sagas one scan handles, per instance. */
    @WithDefault("100")
    int scanBatch();

    default DeadlinePolicy policy() {
        return new DeadlinePolicy(stepTimeout(), deadlineCap(), maxAttempts());
    }
}
