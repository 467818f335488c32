package io.shopflow.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.shopflow.contracts.MessageHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A consumer group's meters, by the topic a record was first published to (a record consumed
 * from the retry topic counts under its original topic, when its header names one of the group's
 * topics; the header is whatever its producer wrote, so any other value counts under the topic the
 * record came from), so that every label stays one of the group's few topics: {@code shopflow_consumer_processed_total}, {@code _processing_seconds}
 * (histogram), {@code _retries_total} (stage in_place or retry_topic) and
 * {@code _dead_letters_total}, each with {@code group} and {@code topic}; and
 * {@code shopflow_consumer_batch_splits_total} and {@code shopflow_consumer_in_flight} by {@code group}.
 */
final class ConsumerMetrics {

    private final MeterRegistry registry;
    private final String group;
    private final Set<String> topics;
    private final Map<String, Meters> byTopic = new ConcurrentHashMap<>();
    private final Counter batchSplits;
    private final AtomicInteger inFlight = new AtomicInteger();

    private record Meters(Counter processed, Timer processing, Counter inPlaceRetries, Counter retryTopicSends,
                          Counter deadLetters) {
    }

    ConsumerMetrics(MeterRegistry registry, String group, List<String> topics) {
        this.registry = registry;
        this.group = group;
        this.topics = Set.copyOf(topics);
        // Registered up front, so that a dashboard shows 0 rather than no series.
        topics.forEach(this::meters);
        this.batchSplits = Counter.builder("shopflow.consumer.batch.splits").tag("group", group)
                .description("Batches that failed as a whole and were processed record by record").register(registry);
        Gauge.builder("shopflow.consumer.in.flight", inFlight, AtomicInteger::get).tag("group", group)
                .description("Records of the current poll not yet processed (at most max.poll.records)")
                .register(registry);
    }

    void processed(ConsumerRecord<String, byte[]> record, Duration took) {
        Meters meters = meters(topicOf(record));
        meters.processed().increment();
        meters.processing().record(took);
    }

    /** Records taken from the broker and not yet processed; the consumer polls again only at 0. */
    void inFlight(int records) {
        inFlight.set(records);
    }

    /** A batch failed as a whole and its records are processed one by one. */
    void batchSplit() {
        batchSplits.increment();
    }

    void retriedInPlace(ConsumerRecord<String, byte[]> record) {
        meters(topicOf(record)).inPlaceRetries().increment();
    }

    void sentToRetryTopic(ConsumerRecord<String, byte[]> record) {
        meters(topicOf(record)).retryTopicSends().increment();
    }

    void deadLettered(ConsumerRecord<String, byte[]> record) {
        meters(topicOf(record)).deadLetters().increment();
    }

    private String topicOf(ConsumerRecord<String, byte[]> record) {
        return FailureHeaders.get(record.headers(), MessageHeaders.ORIGINAL_TOPIC).filter(topics::contains)
                .orElse(record.topic());
    }

    private Meters meters(String topic) {
        return byTopic.computeIfAbsent(topic, t -> new Meters(
                Counter.builder("shopflow.consumer.processed").tag("group", group).tag("topic", t)
                        .description("Records processed successfully").register(registry),
                Timer.builder("shopflow.consumer.processing").tag("group", group).tag("topic", t)
                        .description("Time to process one record: decode, transaction, commit")
                        .publishPercentileHistogram().register(registry),
                Counter.builder("shopflow.consumer.retries").tag("group", group).tag("topic", t)
                        .tag("stage", "in_place").description("Retries of failed records").register(registry),
                Counter.builder("shopflow.consumer.retries").tag("group", group).tag("topic", t)
                        .tag("stage", "retry_topic").description("Retries of failed records").register(registry),
                Counter.builder("shopflow.consumer.dead.letters").tag("group", group).tag("topic", t)
                        .description("Records sent to the dead-letter topic").register(registry)));
    }
}
