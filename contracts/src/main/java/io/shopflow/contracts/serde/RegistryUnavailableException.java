package io.shopflow.contracts.serde;

/**
 * The schema registry could not be reached or failed on its side (a connection refused, a timeout, a 5xx) while
 * a message was decoded: a transient failure, which consumers retry (in place, then through their retry topic),
 * not a message that cannot be decoded. Deliberately not a {@code SerializationException}, which consumers
 * dead-letter at once.
 */
public class RegistryUnavailableException extends RuntimeException {

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
