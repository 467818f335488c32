package io.shopflow.messaging;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shopflow.contracts.MessageHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The consumer's meters keep their {@code topic} label to the group's own topics, whatever a header says. */
class ConsumerMetricsTest {

    private static final String TOPIC = "shopflow.order.commands.v1";
    private static final String RETRY = "shopflow.order-service.retry";

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ConsumerMetrics metrics = new ConsumerMetrics(registry, "order-service", List.of(TOPIC));

    @Test
    void countsARetriedRecordUnderItsOriginalTopic() {
        metrics.processed(retried(TOPIC), Duration.ofMillis(1));

        assertThat(processed(TOPIC)).isEqualTo(1);
    }

    @Test
    void countsARecordWithAForgedOriginalTopicUnderTheTopicItCameFrom() {
        for (int i = 0; i < 100; i++) {
            metrics.processed(retried("forged-" + i), Duration.ofMillis(1));
            metrics.deadLettered(retried("forged-" + i));
        }

        assertThat(registry.getMeters()).map(m -> m.getId().getTag("topic")).filteredOn(t -> t != null)
                .containsOnly(TOPIC, RETRY);
        assertThat(processed(RETRY)).isEqualTo(100);
    }

    private double processed(String topic) {
        return Optional.ofNullable(registry.find("shopflow.consumer.processed").tag("topic", topic).counter())
                .map(Meter::measure).map(m -> m.iterator().next().getValue()).orElse(0.0);
    }

    /** A record read from the retry topic whose original-topic header says {@code original}. */
    private static ConsumerRecord<String, byte[]> retried(String original) {
        RecordHeaders headers = new RecordHeaders();
        FailureHeaders.put(headers, MessageHeaders.ORIGINAL_TOPIC, original);
        return new ConsumerRecord<>(RETRY, 0, 0, 0, TimestampType.CREATE_TIME, 0, 0, "key", new byte[0], headers,
                Optional.empty());
    }
}
