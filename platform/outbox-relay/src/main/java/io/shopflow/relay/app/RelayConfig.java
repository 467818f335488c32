package io.shopflow.relay.app;

import io.shopflow.contracts.KafkaConnection;
import io.shopflow.relay.RelaySettings;
import io.shopflow.relay.RelaySettings.Mode;
import io.shopflow.relay.RelaySettings.OnAck;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;

/** {@code shopflow.relay.*}: see the module README for every key. */
@ConfigMapping(prefix = "shopflow.relay")
interface RelayConfig {

    /** {@code cdc} or {@code polling}. */
    @WithDefault("cdc")
    Mode mode();

    /** Source databases by name. */
    Map<String, SourceConfig> sources();

    Kafka kafka();

    BackoffConfig backoff();

    @WithDefault("2048")
    int batchSize();

    /** Polling mode only: CDC blocks on its replication connection. */
    @WithDefault("50ms")
    Duration pollInterval();

    /** CDC: how long a batch waits for more transactions to join it. */
    @WithDefault("50ms")
    Duration linger();

    @WithDefault("10s")
    Duration deliveryTimeout();

    /** Polling mode: {@code delete} or {@code mark} published rows. */
    @WithDefault("delete")
    OnAck onAck();

    interface SourceConfig {
        String jdbcUrl();

        @WithDefault("postgres")
        String username();

        @WithDefault("postgres")
        String password();
    }

    interface Kafka {
        @WithDefault("${kafka.bootstrap.servers:localhost:19092}")
        String bootstrapServers();
    }

    interface BackoffConfig {
        @WithDefault("100ms")
        Duration base();

        @WithDefault("10s")
        Duration cap();
    }

    /** The settings, with {@code kafka} made of {@link Kafka#bootstrapServers()} and the relay's identity. */
    default RelaySettings toSettings(KafkaConnection kafka) {
        return new RelaySettings(mode(),
                sources().entrySet().stream()
                        .map(e -> new RelaySettings.Source(e.getKey(), e.getValue().jdbcUrl(),
                                e.getValue().username(), e.getValue().password()))
                        .toList(),
                kafka, backoff().base(), backoff().cap(), batchSize(),
                pollInterval(), linger(), deliveryTimeout(), onAck());
    }
}
