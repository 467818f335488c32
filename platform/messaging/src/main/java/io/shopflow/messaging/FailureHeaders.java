package io.shopflow.messaging;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and writes the headers a {@link ReliableConsumer} adds to records it moves to the retry or dead-letter
 * topic, and those {@link DeadLetters} marks a replayed record with; their names are in
 * {@link io.shopflow.contracts.MessageHeaders}.
 */
public final class FailureHeaders {

    // At most 18 digits: always a long, never negative.
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,18}");
    // Headers are untrusted input: a failure reason quotes no more of a bad value than this.
    private static final int QUOTED_MAX = 64;

    private FailureHeaders() {
    }

    /** The last value of header {@code name}; empty when there is none or it has no value (null). */
    public static Optional<String> get(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? Optional.empty()
                : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
    }

    /**
     * The value of header {@code name} as a non-negative number, or {@code absent} without one.
     *
     * @throws PermanentFailure when the value is anything else, naming the header and (the start
     *                          of) the value
     */
    static long number(Headers headers, String name, long absent) {
        String value = get(headers, name).orElse(null);
        if (value == null) {
            return absent;
        }
        if (!NUMBER.matcher(value).matches()) {
            throw new PermanentFailure("Malformed header " + name + ": " + quote(value), null);
        }
        return Long.parseLong(value);
    }

    /** A header's value as a message may quote it: in quotes, cut at {@value #QUOTED_MAX} characters. */
    static String quote(String value) {
        return "'" + (value.length() > QUOTED_MAX ? value.substring(0, QUOTED_MAX) + "..." : value) + "'";
    }

    static void put(Headers headers, String name, Object value) {
        headers.remove(name);
        headers.add(name, String.valueOf(value).getBytes(StandardCharsets.UTF_8));
    }
}
