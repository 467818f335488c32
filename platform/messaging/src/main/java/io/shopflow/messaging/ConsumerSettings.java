package io.shopflow.messaging;

import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.KafkaConnection;

import java.time.Duration;
import java.util.List;

/**
 * How a {@link ReliableConsumer} reads and what it does with failures.
 *
 * @param kafka the brokers and the service's identity there (ADR 14)
 * @param groupId consumer group; instances of one service share the work by partition (order id)
 * @param topics the topics to consume
 * @param retryTopic where a record goes after its in-place attempts, to be tried again later
 * @param deadLetterTopic where a record goes when it cannot be decoded or keeps failing
 * @param inPlaceAttempts attempts on the consumer thread before the retry topic (>= 1)
 * @param backoffBase first in-place wait; doubles per attempt, with jitter, up to {@code backoffCap}
 *                    (see {@link io.shopflow.contracts.Backoff})
 * @param backoffCap the longest in-place wait
 * @param retryTopicAttempts passes through the retry topic before dead-lettering (>= 0)
 * @param retryDelay how long a record waits in the retry topic
 */
public record ConsumerSettings(KafkaConnection kafka, String groupId, List<String> topics, String retryTopic,
                               String deadLetterTopic, int inPlaceAttempts, Duration backoffBase, Duration backoffCap,
                               int retryTopicAttempts, Duration retryDelay) {

    public ConsumerSettings {
        topics = List.copyOf(topics);
        if (inPlaceAttempts < 1 || retryTopicAttempts < 0 || backoffBase.isNegative()
                || backoffCap.compareTo(backoffBase) < 0 || retryDelay.isNegative()) {
            throw new IllegalArgumentException("need inPlaceAttempts >= 1, retryTopicAttempts >= 0, "
                    + "0 <= backoffBase <= backoffCap, retryDelay >= 0");
        }
    }

    /**
     * Defaults: 3 in-place attempts from 100 ms up to 2 s, then 2 passes through
     * {@code shopflow.<group>.retry} 5 s apart, then {@code shopflow.<group>.dlq}.
     */
    public static ConsumerSettings defaults(KafkaConnection kafka, String groupId, List<String> topics) {
        return new ConsumerSettings(kafka, groupId, topics, KafkaAccess.retryTopic(groupId),
                KafkaAccess.deadLetterTopic(groupId), 3, Duration.ofMillis(100), Duration.ofSeconds(2), 2,
                Duration.ofSeconds(5));
    }
}
