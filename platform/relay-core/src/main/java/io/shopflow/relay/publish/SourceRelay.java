package io.shopflow.relay.publish;

/**
 * The running relay of one source database: reads its outbox in order, hands batches to a
 * {@link KafkaPublisher}, and marks rows processed once Kafka acknowledged them.
 */
public interface SourceRelay extends AutoCloseable {

    String name();

    /** Whether changes flow: connected to the source and, for CDC, past the start-up scan. */
    boolean isStreaming();

    /** Whether the loop that (re)connects to the source still runs; false only after a bug or close. */
    boolean isAlive();

    /** Failed attempts to read the source since the start, each followed by a reconnect after its backoff. */
    long failedAttempts();

    /** Stops reading, lets the batch in flight finish (bounded by the delivery timeout), flushes and commits. */
    @Override
    void close();
}
