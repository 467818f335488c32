package io.shopflow.contracts.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Bytes that cannot be turned into a message. Consumers dead-letter the record with
 * {@link #reason()} in its headers; the reason is never a silent {@code null}.
 */
public class MessageDecodingException extends SerializationException {

    /** Why decoding failed. */
    public enum Reason {
        /** Empty, too short, or without the single-object encoding marker. */
        NOT_SINGLE_OBJECT_ENCODED,
        /** The writer schema's fingerprint is neither a current nor a released schema. */
        UNKNOWN_SCHEMA,
        /** The header was fine but the body does not match the writer schema. */
        CORRUPT_PAYLOAD,
        /** The registry serde could not resolve or read the payload. */
        REGISTRY_ERROR
    }

    private final Reason reason;

    public MessageDecodingException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
