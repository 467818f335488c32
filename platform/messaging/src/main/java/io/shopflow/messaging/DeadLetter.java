package io.shopflow.messaging;

/** A record in a dead-letter topic, as the ops endpoints list it. */
public record DeadLetter(int partition, long offset, String key, String originalTopic, String originalPartition,
                         String originalOffset, String reason, String exception, String attempts, String failedAt) {
}
