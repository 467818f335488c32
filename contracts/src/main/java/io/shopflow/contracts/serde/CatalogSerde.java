package io.shopflow.contracts.serde;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.specific.SpecificRecordBase;

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
 * 8-byte CRC-64-AVRO fingerprint little-endian, then Avro binary). The decoder resolves the
 * writer schema by fingerprint from the {@link SchemaCatalog} and reads into the current
 * generated class, so messages written with any released version still decode. Needs no
 * registry: the schemas ship in this jar.
 */
public final class CatalogSerde implements MessageSerde {

    private static final byte MARKER_0 = (byte) 0xC3;
    private static final byte MARKER_1 = (byte) 0x01;
    private static final int HEADER_LENGTH = 10;

    private final SchemaCatalog catalog;
    // A new SpecificData scans the class path for logical-type conversions (ServiceLoader, with an
    // exception per missing jar), and a fingerprint normalizes the whole schema: 6-13 % of each
    // service's CPU when both were done per message. The writers and readers built once per type
    // are safe to share between threads.
    private final Map<ClassLoader, SpecificData> models = new ConcurrentHashMap<>();
    private final Map<Class<?>, Writer> writers = new ConcurrentHashMap<>();
    private final Map<ReaderKey, SpecificDatumReader<SpecificRecord>> readers = new ConcurrentHashMap<>();

    /** A message class's fingerprint and writer. */
    private record Writer(long fingerprint, SpecificDatumWriter<SpecificRecord> datumWriter) {
    }

    /** Known writer schemas (by fingerprint) times current classes: a small, bounded set. */
    private record ReaderKey(long fingerprint, Class<?> type) {
    }

    public CatalogSerde() {
        this(SchemaCatalog.standard());
    }

    CatalogSerde(SchemaCatalog catalog) {
        AvroLimits.apply();
        this.catalog = catalog;
    }

    @Override
    public byte[] serialize(String topic, SpecificRecord message) {
        Writer writer = writers.computeIfAbsent(message.getClass(), type -> {
            Schema schema = message.getSchema();
            if (!catalog.knows(schema)) {
                throw new IllegalArgumentException("Not a catalogued message schema: " + schema.getFullName());
            }
            return new Writer(SchemaCatalog.fingerprint(schema),
                    new SpecificDatumWriter<>(schema, model(type.getClassLoader())));
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.write(MARKER_0);
        out.write(MARKER_1);
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(writer.fingerprint()).array());
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.datumWriter().write(message, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public SpecificRecord deserialize(String topic, byte[] data) {
        if (data == null || data.length < HEADER_LENGTH || data[0] != MARKER_0 || data[1] != MARKER_1) {
            throw new MessageDecodingException(NOT_SINGLE_OBJECT_ENCODED,
                    "expected C3 01 + 8-byte fingerprint, got " + (data == null ? "null" : data.length + " bytes"), null);
        }
        long fingerprint = ByteBuffer.wrap(data, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = catalog.writerSchema(fingerprint).orElseThrow(() -> new MessageDecodingException(
                UNKNOWN_SCHEMA, String.format("no schema with fingerprint %016x", fingerprint), null));
        Class<? extends SpecificRecordBase> type = catalog.currentClass(writer.getFullName())
                .orElseThrow(() -> new MessageDecodingException(UNKNOWN_SCHEMA,
                        "no current class for " + writer.getFullName(), null));
        // Read with the class's own loader: in Quarkus tests a generated class can exist twice.
        SpecificDatumReader<SpecificRecord> reader = readers.computeIfAbsent(new ReaderKey(fingerprint, type), key -> {
            SpecificData model = model(type.getClassLoader());
            return new SpecificDatumReader<>(writer, model.getSchema(type), model);
        });
        try {
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(data, HEADER_LENGTH, data.length - HEADER_LENGTH, null);
            SpecificRecord record = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new MessageDecodingException(CORRUPT_PAYLOAD,
                        "trailing bytes after " + writer.getFullName(), null);
            }
            return record;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException | UnsupportedOperationException e) {
            // AvroRuntimeException includes a length beyond the AvroLimits; a length beyond what a
            // Java array can hold is an UnsupportedOperationException.
            // An EOFException (a truncated body) has no message: its name says what happened.
            throw new MessageDecodingException(CORRUPT_PAYLOAD, "body does not match " + writer.getFullName() + ": "
                    + (e.getMessage() == null ? e.getClass().getName() : e.getMessage()), e);
        }
    }

    private SpecificData model(ClassLoader loader) {
        return models.computeIfAbsent(loader, SpecificData::new);
    }
}
