package io.shopflow.messaging;

import io.shopflow.contracts.KafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The start-up check of ADR 12: the inbox must remember a message id for longer than any topic the
 * service consumes keeps the message, or a copy read late from the topic (a consumer group reset,
 * a restart after a long outage) would not be recognised as a repeat. (Such a copy is not applied
 * twice even then: the consumer refuses a message older than the inbox window, so it is
 * dead-lettered instead of processed.)
 */
public final class TopicRetention {

    private static final Logger LOG = Logger.getLogger(TopicRetention.class);

    private TopicRetention() {
    }

    /**
     * Reads the {@code retention.ms} of each topic from the brokers and fails when one keeps records
     * for {@code inboxWindow} or longer (or for ever). A topic that does not exist yet is not checked;
     * when the brokers do not answer within {@code timeout} it warns and lets the service start (the
     * consumers wait for Kafka anyway, and the age check above still holds).
     *
     * @throws IllegalStateException naming each topic that keeps records too long and what to change
     */
    public static void check(KafkaConnection kafka, Collection<String> topics, Duration inboxWindow, Duration timeout) {
        List<ConfigResource> resources = new TreeSet<>(topics).stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        try (Admin admin = Admin.create(kafka.clientConfig(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis())))) {
            Map<ConfigResource, KafkaFuture<Config>> configs = admin.describeConfigs(resources).values();
            List<String> tooLong = new ArrayList<>();
            for (ConfigResource resource : resources) {
                retention(configs.get(resource), timeout).ifPresent(retention -> {
                    if (retention < 0 || retention >= inboxWindow.toMillis()) {
                        tooLong.add(resource.name() + " keeps records " + (retention < 0 ? "for ever"
                                : "for " + Duration.ofMillis(retention)) + " (retention.ms=" + retention + ")");
                    }
                });
            }
            if (!tooLong.isEmpty()) {
                throw new IllegalStateException("The inbox remembers a processed message for " + inboxWindow
                        + " (shopflow.retention.inbox), not longer than these consumed topics keep it: "
                        + String.join("; ", tooLong) + ". A copy read from such a topic after its inbox row is pruned"
                        + " would be refused as too old. Set SHOPFLOW_RETENTION_INBOX longer than the longest topic"
                        + " retention, or shorten the topic's retention.ms (ADR 12)");
            }
        } catch (TimeoutException e) {
            LOG.warnf("Could not read the retention of %s within %s: not checked against the inbox window %s",
                    resources.stream().map(ConfigResource::name).toList(), timeout, inboxWindow);
        }
    }

    /** The topic's retention.ms; empty when the topic does not exist. */
    private static Optional<Long> retention(KafkaFuture<Config> config, Duration timeout)
            throws TimeoutException {
        try {
            ConfigEntry entry = config.get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(TopicConfig.RETENTION_MS_CONFIG);
            return Optional.ofNullable(entry).map(e -> Long.parseLong(e.value()));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw new TimeoutException(e.getCause().getMessage());
            }
            throw new IllegalStateException("Could not read the configuration of a consumed topic", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading topic configurations", e);
        }
    }
}
