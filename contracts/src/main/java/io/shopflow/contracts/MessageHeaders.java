package io.shopflow.contracts;

/**
 * Kafka header names that the relay sets on every record from the outbox row. They repeat
 * the message metadata so that infrastructure (tracing, dead-letter tooling) need not
 * decode the payload. Values are UTF-8 strings.
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

    private MessageHeaders() {
    }
}
