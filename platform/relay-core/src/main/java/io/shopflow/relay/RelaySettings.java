package io.shopflow.relay;

import io.shopflow.contracts.KafkaConnection;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a {@link Relay} needs to run, independent of any framework: the Quarkus app builds
 * it from {@code shopflow.relay.*} configuration, tests build it directly.
 *
 * @param mode            how changes are read from the sources
 * @param sources         the databases whose {@code outbox} table is relayed; at least one
 * @param kafka           the Kafka brokers and the relay's identity there (ADR 14)
 * @param backoffBase     delay before the first retry of a failed publish (doubles per attempt)
 * @param backoffCap      the longest delay between two attempts
 * @param batchSize       most records taken from a source at once
 * @param pollInterval    polling mode: the pause after a poll that found less than a batch (CDC
 *                        blocks on its replication connection instead)
 * @param linger          CDC: how long a batch waits, after its first transaction, for more to join
 *                        it (as Kafka's {@code linger.ms}): fewer, larger batches, and downstream
 *                        one consumer transaction for several messages, for at most this much
 *                        latency per relay hop
 * @param deliveryTimeout how long the Kafka producer tries one attempt before the relay backs off
 * @param onAck           polling mode: what happens to a row once Kafka acknowledged it
 */
public record RelaySettings(Mode mode, List<Source> sources, KafkaConnection kafka,
                            Duration backoffBase, Duration backoffCap, int batchSize, Duration pollInterval,
                            Duration linger, Duration deliveryTimeout, OnAck onAck) {

    /** How the relay reads the outbox. */
    public enum Mode {
        /** Logical decoding of the {@code shopflow_outbox} publication (pgoutput, read by the relay itself). */
        CDC,
        /** {@code SELECT ... FOR UPDATE SKIP LOCKED} batches, for databases without logical replication. */
        POLLING
    }

    /**
     * What the polling relay does with a row once Kafka acknowledged it. The CDC relay always
     * deletes: its publication streams inserts only, so the delete does not come back to it.
     */
    public enum OnAck {
        /** Delete the row: the table stays small. */
        DELETE,
        /** Set {@code published_at}: keeps a record of what was sent, for audits; purge it yourself. */
        MARK
    }

    /**
     * One source database.
     *
     * @param name     identifies the source in metrics, logs and the replication slot name
     *                 ({@code shopflow_relay_<name>}), hence lower case letters, digits and {@code _}
     * @param jdbcUrl  {@code jdbc:postgresql://host[:port]/database}
     * @param username database user; CDC needs the REPLICATION attribute
     * @param password its password
     */
    public record Source(String name, String jdbcUrl, String username, String password) {

        public Source {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
            if (!name.matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException("A source name is lower case letters, digits and _: " + name);
            }
        }

        /** The CDC mode's replication slot of this source. */
        public String slotName() {
            return "shopflow_relay_" + name;
        }

        /** Keeps the password out of logs. */
        @Override
        public String toString() {
            return "Source[name=" + name + ", jdbcUrl=" + jdbcUrl + ", username=" + username + "]";
        }
    }

    public RelaySettings {
        Objects.requireNonNull(mode, "mode");
        sources = List.copyOf(sources);
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(onAck, "onAck");
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("At least one source is needed");
        }
        Set<String> names = new HashSet<>();
        for (Source source : sources) {
            if (!names.add(source.name())) {
                throw new IllegalArgumentException("Two sources are named " + source.name());
            }
        }
        requirePositive(backoffBase, "backoffBase");
        requirePositive(backoffCap, "backoffCap");
        requirePositive(pollInterval, "pollInterval");
        requirePositive(deliveryTimeout, "deliveryTimeout");
        if (linger == null || linger.isNegative()) {
            throw new IllegalArgumentException("linger must be zero or positive: " + linger);
        }
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffCap " + backoffCap + " is below backoffBase " + backoffBase);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive: " + batchSize);
        }
    }

    /**
     * The defaults of the Quarkus app: back off from 100 ms up to 10 s, batches of 2048, a 50 ms
     * poll interval for polling mode, a 50 ms linger for CDC (see {@code shopflow.relay.poll-interval}
     * and {@code shopflow.relay.linger} in the app's properties for why), a 10 s delivery timeout,
     * delete rows once published.
     */
    public static RelaySettings defaults(Mode mode, KafkaConnection kafka, Source... sources) {
        return new RelaySettings(mode, List.of(sources), kafka, Duration.ofMillis(100),
                Duration.ofSeconds(10), 2048, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofSeconds(10),
                OnAck.DELETE);
    }

    /** A copy with other backoff and delivery timeout, e.g. for outage tests. */
    public RelaySettings withRetries(Duration backoffBase, Duration backoffCap, Duration deliveryTimeout) {
        return new RelaySettings(mode, sources, kafka, backoffBase, backoffCap, batchSize,
                pollInterval, linger, deliveryTimeout, onAck);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
