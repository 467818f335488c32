package io.shopflow.contracts;

/**
 * Kafka header names: those the relay sets on every record from the outbox row, which repeat
 * the message metadata so that infrastructure (tracing, dead-letter tooling) need not decode
 * the payload, and those a consumer adds to a record it retries, dead-letters or replays.
 * Values are UTF-8 strings.
 */
public final class MessageHeaders {

    public static final String MESSAGE_ID = "shopflow-message-id";
    public static final String MESSAGE_TYPE = "shopflow-message-type";
    public static final String AGGREGATE_TYPE = "shopflow-aggregate-type";
    public static final String CORRELATION_ID = "shopflow-correlation-id";
    public static final String CAUSATION_ID = "shopflow-causation-id";
    public static final String OCCURRED_AT = "shopflow-occurred-at";
    /** W3C Trace Context, as written by the producing service into the outbox row. */
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    // Set by a consumer (platform/messaging) on a record it moves to its retry or dead-letter topic.
    /** Where the record was first consumed from: topic, partition and offset. */
    public static final String ORIGINAL_TOPIC = "shopflow-original-topic";
    public static final String ORIGINAL_PARTITION = "shopflow-original-partition";
    public static final String ORIGINAL_OFFSET = "shopflow-original-offset";
    /** Why the record failed; a dead letter always has one. */
    public static final String FAILURE_REASON = "shopflow-failure-reason";
    public static final String FAILURE_EXCEPTION = "shopflow-failure-exception";
    public static final String FAILURE_ATTEMPTS = "shopflow-failure-attempts";
    public static final String FAILED_AT = "shopflow-failed-at";
    /** How often the record went through the retry topic, and when it is due there next. */
    public static final String RETRY_COUNT = "shopflow-retry-count";
    public static final String RETRY_DUE_AT = "shopflow-retry-due-at";
    /** On a replayed record: the dead letter it was, {@code <dead-letter topic>/<partition>/<offset>}. */
    public static final String REPLAYED_FROM = "shopflow-replayed-from";
    public static final String REPLAYED_AT = "shopflow-replayed-at";

    private MessageHeaders() {
    }
}
