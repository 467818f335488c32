package io.shopflow.contracts.serde;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.shopflow.contracts.serde.MessageDecodingException.Reason.CORRUPT_PAYLOAD;
import static io.shopflow.contracts.serde.MessageDecodingException.Reason.NOT_SINGLE_OBJECT_ENCODED;
import static io.shopflow.contracts.serde.MessageDecodingException.Reason.UNKNOWN_SCHEMA;

/**
 * The {@code catalog} mode: Avro single-object encoding ({@code C3 01}, the writer schema's
 * 8-byte CRC-64-AVRO fingerprint little-endian, then Avro binary), written and read by Avro's own
 * {@link BinaryMessageEncoder} and {@link BinaryMessageDecoder}. The decoder finds the writer schema
 * by fingerprint in the {@link SchemaCatalog}'s schema store and reads into the current generated
 * class, so messages written with any released version still decode. Needs no registry: the schemas
 * ship in this jar.
 */
public final class CatalogSerde implements MessageSerde {

    /** Where single-object encoding puts the fingerprint: after the two marker bytes. */
    private static final int FINGERPRINT_OFFSET = 2;

    private final SchemaCatalog catalog;
    // A new SpecificData scans the class path for logical-type conversions (ServiceLoader, with an
    // exception per missing jar), and a fingerprint normalizes the whole schema: 6-13 % of each
    // service's CPU when both were done per message. The encoders built once per type and the one
    // decoder (which resolves each writer schema once) are safe to share between threads.
    private final Map<ClassLoader, SpecificData> models = new ConcurrentHashMap<>();
    private final Map<Class<?>, BinaryMessageEncoder<SpecificRecord>> encoders = new ConcurrentHashMap<>();
    private final BinaryMessageDecoder<SpecificRecord> decoder;

    public CatalogSerde() {
        this(SchemaCatalog.standard());
    }

    CatalogSerde(SchemaCatalog catalog) {
        AvroLimits.apply();
        this.catalog = catalog;
        // The message classes ship in this jar: read with its loader, not Avro's, because in Quarkus
        // tests a generated class can exist twice.
        this.decoder = new BinaryMessageDecoder<>(model(CatalogSerde.class.getClassLoader()), catalog.anyMessage(),
                catalog.writers());
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord message) {
        BinaryMessageEncoder<SpecificRecord> encoder = encoders.computeIfAbsent(message.getClass(), type -> {
            Schema schema = message.getSchema();
            if (!catalog.knows(schema)) {
                throw new IllegalArgumentException("Not a catalogued message schema: " + schema.getFullName());
            }
            return new BinaryMessageEncoder<>(model(type.getClassLoader()), schema);
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            encoder.encode(message, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null) {
            throw new MessageDecodingException(NOT_SINGLE_OBJECT_ENCODED, "expected C3 01 + 8-byte fingerprint, got null",
                    null);
        }
        ByteArrayInputStream in = new ByteArrayInputStream(data);
        SpecificRecord record;
        try {
            record = decoder.decode(in, null);
        } catch (BadHeaderException e) {
            throw new MessageDecodingException(NOT_SINGLE_OBJECT_ENCODED,
                    "expected C3 01 + 8-byte fingerprint, got " + data.length + " bytes", e);
        } catch (MissingSchemaException e) {
            throw new MessageDecodingException(UNKNOWN_SCHEMA, String.format("no schema with fingerprint %016x",
                    fingerprint(data)), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException | UnsupportedOperationException e) {
            // AvroRuntimeException includes a length beyond the AvroLimits, and Avro's wrapper of an
            // EOFException (a truncated body), which has no message: its name says what happened. A length
            // beyond what a Java array can hold is an UnsupportedOperationException.
            Throwable failure = e instanceof AvroRuntimeException && e.getCause() instanceof IOException io ? io : e;
            throw new MessageDecodingException(CORRUPT_PAYLOAD, "body does not match " + writerName(data) + ": "
                    + (failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage()), e);
        }
        // The decoder reads the stream directly, without buffering ahead: what is left was never read.
        if (in.available() > 0) {
            throw new MessageDecodingException(CORRUPT_PAYLOAD,
                    "trailing bytes after " + record.getSchema().getFullName(), null);
        }
        return record;
    }

    /** The writer schema of a body that failed: the decoder found it by fingerprint, so it exists. */
    private String writerName(byte[] data) {
        return catalog.writers().findByFingerprint(fingerprint(data)).getFullName();
    }

    /** The fingerprint of a message whose header the decoder accepted. */
    private static long fingerprint(byte[] data) {
        return ByteBuffer.wrap(data, FINGERPRINT_OFFSET, Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private SpecificData model(ClassLoader loader) {
        return models.computeIfAbsent(loader, SpecificData::new);
    }
}
