package io.shopflow.contracts.serde;

import org.apache.avro.SystemLimitException;

/**
 * Caps on what Avro's binary decoder allocates for a length or item count that a payload
 * declares. Without them a 15-byte record that declares a 2 GB string makes the decoder
 * allocate 2 GB: an {@link OutOfMemoryError}, which no consumer survives. Shopflow's messages
 * stay far below the caps (a Kafka record is about 1 MiB at most by default, an order has at
 * most {@code shopflow.orders.max-lines} lines), so a payload beyond one is corrupt, and its
 * decoding fails with a {@link SystemLimitException} instead.
 *
 * <p>Avro reads the caps from system properties once, when {@link SystemLimitException} is
 * loaded; every serde sets them before it decodes anything, each only where the operator has not
 * (e.g. {@code -Dorg.apache.avro.limits.string.maxLength=...}).
 */
final class AvroLimits {

    /** For one string or bytes value. */
    private static final String MAX_LENGTH = String.valueOf(1024 * 1024);
    /** For one array or map. */
    private static final String MAX_ITEMS = String.valueOf(10_000);

    private AvroLimits() {
    }

    /** Sets the caps the operator has not set (the names are constants: this loads no Avro class). */
    static void apply() {
        System.getProperties().putIfAbsent(SystemLimitException.MAX_STRING_LENGTH_PROPERTY, MAX_LENGTH);
        System.getProperties().putIfAbsent(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY, MAX_LENGTH);
        System.getProperties().putIfAbsent(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY, MAX_ITEMS);
    }
}
