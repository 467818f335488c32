package io.shopflow.testing;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.contracts.Messages;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.serde.SchemaCatalog;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * Seeded generator of what no Shopflow consumer may choke on (issue 14): for a consumer group's
 * topics and its retry topic, bad records of every class below, each followed by a good one.
 *
 * <ul>
 *   <li>payloads: a null value with a null key, an empty value, random bytes, the single-object marker
 *   with a short or unknown fingerprint, a known fingerprint followed by an absurd length or index
 *   (string, bytes, array, map, union, enum: whichever the topic's message has), a good record
 *   truncated or with trailing bytes, and a well-formed message of a type the topic does not carry;</li>
 *   <li>headers, on bad and good payloads alike: none, malformed {@code shopflow-*} metadata, duplicated
 *   headers, forged failure headers ({@code shopflow-original-topic}, {@code -failure-reason},
 *   {@code -replayed-from}...), forged retry headers (well-formed and malformed), garbage, wrong-version,
 *   invalid-UTF-8 and huge {@code traceparent}s, and one header as large as a record may be (1 MiB less
 *   the record's own bytes).</li>
 * </ul>
 *
 * <p>Each record knows what the consumer must do with it ({@link Fuzzed#expected}): a bad payload, or a
 * malformed retry header on the retry topic, is dead-lettered; anything else is processed. Every run
 * prints its seed; {@code -Dshopflow.fuzz.seed=<seed>} replays the same records.
 */
public final class ConsumerFuzzer {

    /** The system property that replays a run: {@code -Dshopflow.fuzz.seed=<seed>}. */
    public static final String SEED_PROPERTY = "shopflow.fuzz.seed";
    /** Marks each fuzzed record, so that its copy on the dead-letter topic is found whatever its key. */
    public static final String ID_HEADER = "fuzz-id";

    private static final int MARKER_LENGTH = 10;
    /** Kafka's default largest record (max.request.size, message.max.bytes), less room for the record's own bytes. */
    private static final int HUGE = 1024 * 1024 - 256;
    /** Lengths and item counts beyond every limit (AvroLimits: 1 MiB, 10,000 items) and any array. */
    private static final long[] ABSURD_LENGTHS = {10_001, 1024 * 1024 + 1, Integer.MAX_VALUE, 2_000_000_000L,
            1L << 40, Long.MAX_VALUE};
    private static final int[] ABSURD_INDEXES = {99, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};

    /** What the consumer must do with a record. */
    public enum Outcome { DEAD_LETTERED, PROCESSED }

    /** The kinds of values whose length, count or index a payload can declare absurdly. */
    private static final Set<Schema.Type> DECLARED = EnumSet.of(Schema.Type.STRING, Schema.Type.BYTES,
            Schema.Type.ARRAY, Schema.Type.MAP, Schema.Type.UNION, Schema.Type.ENUM);

    /**
     * One fuzzed record.
     *
     * @param id        its {@value #ID_HEADER} header
     * @param kind      what it is, e.g. {@code absurd ARRAY length 2000000000 + forged failure headers}
     * @param message   the message of a good payload (null for a bad one)
     * @param messageId its message id, which the inbox records
     */
    public record Fuzzed(String id, String kind, ProducerRecord<String, byte[]> record, Outcome expected,
                         SpecificRecord message, UUID messageId) {

        @Override
        public String toString() {
            return id + " (" + kind + ") to " + record.topic() + ", expected " + expected;
        }
    }

    /** A bad or good value and what it is; a good one has its order id as key. */
    private record Payload(String kind, String key, byte[] value, SpecificRecord message, UUID messageId) {

        boolean good() {
            return message != null;
        }
    }

    /** Headers and whether they make a retry-topic record undeliverable (a malformed retry header). */
    private record Headers(String kind, List<Header> headers, boolean malformedRetryHeader) {
    }

    private final long seed;
    private final Random random;
    private final Set<Long> fingerprints = new HashSet<>();
    private int sequence;

    /** A fuzzer that draws everything from {@code seed}; {@link #seeded()} picks and prints it. */
    ConsumerFuzzer(long seed) {
        this.seed = seed;
        this.random = new Random(seed);
        SchemaCatalog catalog = SchemaCatalog.standard();
        for (String name : catalog.messageNames()) {
            fingerprints.add(SchemaCatalog.fingerprint(catalog.current(name)));
            catalog.released(name).forEach(s -> fingerprints.add(SchemaCatalog.fingerprint(s)));
        }
    }

    /** A fuzzer with the seed of {@value #SEED_PROPERTY}, or a fresh one; prints the seed either way. */
    public static ConsumerFuzzer seeded() {
        String configured = System.getProperty(SEED_PROPERTY);
        long seed = configured == null || configured.isBlank() ? new SecureRandom().nextLong()
                : Long.parseLong(configured.trim());
        System.out.println("ConsumerFuzzer seed " + seed + " (replay with -D" + SEED_PROPERTY + "=" + seed + ")");
        return new ConsumerFuzzer(seed);
    }

    public long seed() {
        return seed;
    }

    /**
     * The records for one consumer group, in the order to produce them: to each of {@code topics} and
     * to {@code retryTopic}, every bad payload class, each followed by a good record, with the header
     * classes spread over both.
     *
     * @param good a new good message for a topic (a retry-topic record gets one of a consumed topic's),
     *             one the service applies; its metadata's message id is what the inbox records. Also
     *             called for the templates of bad payloads, which are never sent whole
     */
    public List<Fuzzed> records(List<String> topics, String retryTopic, Function<String, SpecificRecord> good) {
        List<Fuzzed> records = new ArrayList<>();
        List<String> destinations = new ArrayList<>(topics);
        destinations.add(retryTopic);
        int hugeLeft = 2;
        boolean farDueLeft = true;
        for (String destination : destinations) {
            boolean retry = destination.equals(retryTopic);
            List<Payload> bad = badPayloads(retry ? pick(topics) : destination, topics, good);
            List<Headers> headers = headerClasses(topics, retry && farDueLeft);
            farDueLeft &= !retry;
            int next = random.nextInt(headers.size());
            for (Payload payload : bad) {
                Headers onBad = headers.get(next++ % headers.size());
                if (hugeLeft > 0 && random.nextInt(3) == 0) {
                    onBad = huge(payload);
                    hugeLeft--;
                }
                records.add(fuzzed(destination, payload, onBad, retry));
                Payload fine = goodPayload(retry ? pick(topics) : destination, good);
                records.add(fuzzed(destination, fine, headers.get(next++ % headers.size()), retry));
            }
        }
        if (hugeLeft == 2) {
            // Always at least one bad record as large as Kafka takes.
            Payload noise = bad("random bytes", randomBytes(16));
            records.add(fuzzed(topics.get(0), noise, huge(noise), false));
        }
        return records;
    }

    private Fuzzed fuzzed(String topic, Payload payload, Headers headers, boolean retry) {
        String id = seed + "-" + (++sequence);
        List<Header> all = new ArrayList<>(headers.headers());
        all.add(new RecordHeader(ID_HEADER, id.getBytes(StandardCharsets.UTF_8)));
        String key = payload.good() ? payload.key() : payload.kind().startsWith("null value") ? null : "fuzz-" + id;
        Outcome expected = payload.good() && !(retry && headers.malformedRetryHeader()) ? Outcome.PROCESSED
                : Outcome.DEAD_LETTERED;
        return new Fuzzed(id, payload.kind() + " + " + headers.kind(), new ProducerRecord<>(topic, null, key,
                payload.value(), all), expected, payload.message(), payload.messageId());
    }

    // ---- payloads

    private List<Payload> badPayloads(String topic, List<String> groupTopics, Function<String, SpecificRecord> good) {
        List<Payload> bad = new ArrayList<>();
        bad.add(bad("null value and null key", null));
        bad.add(bad("empty value", new byte[0]));
        byte[] noise = randomBytes(1 + random.nextInt(256));
        if (noise[0] == (byte) 0xC3) {
            noise[0] = 0;
        }
        bad.add(bad("random bytes", noise));
        bad.add(bad("marker with a short fingerprint", concat(new byte[] {(byte) 0xC3, 0x01},
                randomBytes(random.nextInt(8)))));
        bad.add(bad("unknown fingerprint", concat(marker(unknownFingerprint()), randomBytes(random.nextInt(64)))));
        SpecificRecord message = good.apply(topic);
        GenericRecord generic = toGeneric(message);
        byte[] encoded = encode(message.getSchema(), generic);
        for (Schema.Type type : DECLARED) {
            byte[] absurd = absurd(message.getSchema(), generic, type);
            if (absurd != null) {
                bad.add(bad("absurd " + type + " " + (type == Schema.Type.UNION || type == Schema.Type.ENUM
                        ? "index" : "length"), concat(absurd, randomBytes(random.nextInt(16)))));
            }
        }
        bad.add(bad("truncated", Arrays.copyOf(encoded, 3 + random.nextInt(encoded.length - 3))));
        bad.add(bad("trailing bytes", concat(encoded, randomBytes(1 + random.nextInt(8)))));
        Schema wrong = wrongType(groupTopics);
        bad.add(bad("well-formed " + wrong.getName() + ", which " + topic + " does not carry",
                encode(wrong, sample(wrong))));
        return bad;
    }

    private static Payload bad(String kind, byte[] value) {
        return new Payload(kind, null, value, null, null);
    }

    private Payload goodPayload(String topic, Function<String, SpecificRecord> good) {
        SpecificRecord message = good.apply(topic);
        SpecificRecord metadata = (SpecificRecord) message.get(message.getSchema().getField("metadata").pos());
        UUID messageId = (UUID) metadata.get(metadata.getSchema().getField("messageId").pos());
        Object orderId = message.get(message.getSchema().getField("orderId").pos());
        return new Payload("good " + message.getSchema().getName(), orderId.toString(),
                encode(message.getSchema(), toGeneric(message)), message, messageId);
    }

    /** A message type none of {@code topics} carries. */
    private Schema wrongType(List<String> topics) {
        List<Class<?>> others = Messages.ALL.stream().<Class<?>>map(c -> c)
                .filter(type -> topics.stream().noneMatch(t -> Topics.carried(t).contains(type))).toList();
        return SpecificData.get().getSchema(others.get(random.nextInt(others.size())));
    }

    private long unknownFingerprint() {
        long fingerprint;
        do {
            fingerprint = random.nextLong();
        } while (fingerprints.contains(fingerprint));
        return fingerprint;
    }

    /** Single-object encoding: {@code C3 01}, the fingerprint little-endian, then the body. */
    private static byte[] marker(long fingerprint) {
        return ByteBuffer.allocate(MARKER_LENGTH).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01)
                .putLong(fingerprint).array();
    }

    /** {@code message} as plain Avro data (logical types as their base types), to write field by field. */
    private static GenericRecord toGeneric(SpecificRecord message) {
        try {
            SpecificData model = new SpecificData(message.getClass().getClassLoader());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SpecificRecord>(message.getSchema(), model).write(message, encoder);
            encoder.flush();
            return new GenericDatumReader<GenericRecord>(message.getSchema(), message.getSchema(), new GenericData())
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(marker(SchemaCatalog.fingerprint(schema)));
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(schema, new GenericData()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code record} encoded up to its first value of {@code type}, whose length, item count or index
     * is then absurd; null when the schema has no value of that type.
     */
    private byte[] absurd(Schema schema, GenericRecord record, Schema.Type type) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(marker(SchemaCatalog.fingerprint(schema)));
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            boolean written = writeUntil(schema, record, encoder, type);
            encoder.flush();
            return written ? out.toByteArray() : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code value} until a value of {@code target}, which it declares absurdly; true once it did. */
    private boolean writeUntil(Schema schema, Object value, BinaryEncoder out, Schema.Type target) throws IOException {
        Schema.Type type = schema.getType();
        if (type == target) {
            if (type == Schema.Type.UNION || type == Schema.Type.ENUM) {
                out.writeInt(ABSURD_INDEXES[random.nextInt(ABSURD_INDEXES.length)]);
            } else {
                out.writeLong(ABSURD_LENGTHS[random.nextInt(ABSURD_LENGTHS.length)]);
            }
            return true;
        }
        switch (type) {
            case RECORD -> {
                GenericRecord record = (GenericRecord) value;
                for (Schema.Field field : schema.getFields()) {
                    if (writeUntil(field.schema(), record.get(field.pos()), out, target)) {
                        return true;
                    }
                }
                return false;
            }
            case UNION -> {
                int branch = GenericData.get().resolveUnion(schema, value);
                out.writeIndex(branch);
                return writeUntil(schema.getTypes().get(branch), value, out, target);
            }
            case ARRAY -> {
                Collection<?> items = (Collection<?>) value;
                out.writeArrayStart();
                out.setItemCount(items.size());
                for (Object item : items) {
                    out.startItem();
                    if (writeUntil(schema.getElementType(), item, out, target)) {
                        return true;
                    }
                }
                out.writeArrayEnd();
                return false;
            }
            case MAP -> {
                Map<?, ?> entries = (Map<?, ?>) value;
                out.writeMapStart();
                out.setItemCount(entries.size());
                for (Map.Entry<?, ?> entry : entries.entrySet()) {
                    out.startItem();
                    out.writeString(entry.getKey().toString());
                    if (writeUntil(schema.getValueType(), entry.getValue(), out, target)) {
                        return true;
                    }
                }
                out.writeMapEnd();
                return false;
            }
            case STRING -> out.writeString(value.toString());
            case BYTES -> out.writeBytes((ByteBuffer) value);
            case ENUM -> out.writeEnum(schema.getEnumOrdinal(value.toString()));
            case FIXED -> out.writeFixed(((GenericFixed) value).bytes());
            case INT -> out.writeInt((Integer) value);
            case LONG -> out.writeLong((Long) value);
            case FLOAT -> out.writeFloat((Float) value);
            case DOUBLE -> out.writeDouble((Double) value);
            case BOOLEAN -> out.writeBoolean((Boolean) value);
            case NULL -> out.writeNull();
        }
        return false;
    }

    /** A well-formed value of {@code schema}: fresh ids, the current time, one item per collection. */
    private Object sampleValue(Schema schema) {
        LogicalType logical = schema.getLogicalType();
        return switch (schema.getType()) {
            case RECORD -> sample(schema);
            case UNION -> sampleValue(schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL)
                    .findFirst().orElse(schema.getTypes().get(0)));
            case ARRAY -> List.of(sampleValue(schema.getElementType()));
            case MAP -> Map.of("k", sampleValue(schema.getValueType()));
            case STRING -> logical instanceof LogicalTypes.Uuid ? new UUID(random.nextLong(), random.nextLong()).toString()
                    : "fuzz";
            case BYTES -> ByteBuffer.wrap(randomBytes(4));
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(0));
            case FIXED -> new GenericData.Fixed(schema, randomBytes(schema.getFixedSize()));
            case INT -> 1;
            case LONG -> logical == null ? 1L : Instant.now().toEpochMilli();
            case FLOAT -> 1f;
            case DOUBLE -> 1d;
            case BOOLEAN -> true;
            case NULL -> null;
        };
    }

    private GenericRecord sample(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        schema.getFields().forEach(field -> record.put(field.pos(), sampleValue(field.schema())));
        return record;
    }

    // ---- headers

    private List<Headers> headerClasses(List<String> topics, boolean farDue) {
        String validTrace = "00-" + hex(16) + "-" + hex(8) + "-01";
        List<Headers> classes = new ArrayList<>();
        classes.add(new Headers("no headers", List.of(), false));
        classes.add(new Headers("malformed metadata headers", List.of(
                header(MessageHeaders.MESSAGE_ID, "not-a-uuid"),
                new RecordHeader(MessageHeaders.OCCURRED_AT, new byte[] {(byte) 0xFF, (byte) 0xFE, 0}),
                header(MessageHeaders.MESSAGE_TYPE, ""),
                new RecordHeader(MessageHeaders.CORRELATION_ID, null)), false));
        classes.add(new Headers("duplicated headers", List.of(
                header(MessageHeaders.TRACEPARENT, validTrace), header(MessageHeaders.TRACEPARENT, "garbage"),
                header(MessageHeaders.MESSAGE_ID, new UUID(random.nextLong(), random.nextLong()).toString()),
                header(MessageHeaders.MESSAGE_ID, "not-a-uuid"),
                header(MessageHeaders.RETRY_COUNT, "1"), header(MessageHeaders.RETRY_COUNT, "0")), false));
        List<Header> forged = new ArrayList<>();
        String[] originals = {pick(Topics.ALL), pick(topics), "no such topic", "x".repeat(10_000), ""};
        forged.add(header(MessageHeaders.ORIGINAL_TOPIC, originals[random.nextInt(originals.length)]));
        forged.add(header(MessageHeaders.ORIGINAL_PARTITION, "-1"));
        forged.add(header(MessageHeaders.ORIGINAL_OFFSET, "not an offset"));
        forged.add(header(MessageHeaders.FAILURE_REASON, "forged reason"));
        forged.add(header(MessageHeaders.FAILURE_EXCEPTION, "java.lang.Forged"));
        forged.add(header(MessageHeaders.FAILURE_ATTEMPTS, "999999999999999999999"));
        forged.add(header(MessageHeaders.FAILED_AT, "never"));
        forged.add(header(MessageHeaders.REPLAYED_FROM, "shopflow.any.dlq/99/-1"));
        forged.add(new RecordHeader(MessageHeaders.REPLAYED_AT, randomBytes(32)));
        classes.add(new Headers("forged failure headers", forged, false));
        classes.add(new Headers("well-formed forged retry headers", List.of(
                header(MessageHeaders.RETRY_COUNT, pick(List.of("0", "1", "999999999999999999"))),
                header(MessageHeaders.RETRY_DUE_AT, farDue ? "32503680000000" : pick(List.of("0", "1000")))), false));
        classes.add(new Headers("malformed retry headers", List.of(
                header(MessageHeaders.RETRY_COUNT, pick(List.of("-1", "abc", "9".repeat(10_000), "1e3"))),
                header(MessageHeaders.RETRY_DUE_AT, pick(List.of("soon", "-5", "99999999999999999999")))), true));
        classes.add(new Headers("garbage traceparent", List.of(
                header(MessageHeaders.TRACEPARENT, pick(List.of("garbage", "00-xyz-abc-01", "", "00--", "-"))),
                header(MessageHeaders.TRACESTATE, "=,=,,==")), false));
        classes.add(new Headers("wrong-version traceparent", List.of(header(MessageHeaders.TRACEPARENT,
                pick(List.of("ff-" + hex(16) + "-" + hex(8) + "-01", "01-" + hex(16) + "-" + hex(8) + "-01-extra",
                        "00-" + "0".repeat(32) + "-" + "0".repeat(16) + "-01", validTrace + "-trailing")))), false));
        classes.add(new Headers("invalid UTF-8 traceparent", List.of(
                new RecordHeader(MessageHeaders.TRACEPARENT, randomBytes(55))), false));
        classes.add(new Headers("huge traceparent and tracestate", List.of(
                header(MessageHeaders.TRACEPARENT, validTrace + "x".repeat(64 * 1024)),
                header(MessageHeaders.TRACESTATE, "k=" + "v".repeat(64 * 1024))), false));
        return classes;
    }

    /** One header that makes a record with {@code payload} as large as Kafka takes by default. */
    private Headers huge(Payload payload) {
        int size = HUGE - (payload.value() == null ? 0 : payload.value().length);
        return new Headers("a 1 MiB header", List.of(new RecordHeader("x-huge", randomBytes(size))), false);
    }

    private static Header header(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    // ---- randomness

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private String hex(int bytes) {
        StringBuilder hex = new StringBuilder();
        for (byte b : randomBytes(bytes)) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
