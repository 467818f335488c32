package io.shopflow.messaging;

/**
 * A failure that retrying cannot fix (a malformed message, say): the record goes straight to
 * the dead-letter topic. Kafka's {@code SerializationException} (and so the contracts'
 * {@code MessageDecodingException}) counts as permanent too.
 */
public class PermanentFailure extends RuntimeException {

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
