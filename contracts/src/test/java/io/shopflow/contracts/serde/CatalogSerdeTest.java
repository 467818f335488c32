package io.shopflow.contracts.serde;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.common.RejectionReason;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.payment.PaymentDeclined;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogSerdeTest {

    private final MessageSerde serde = MessageSerde.fromConfig(Map.of());

    @Test
    void roundTripsAMessageIntoItsGeneratedClass() {
        OrderPlaced placed = orderPlaced();

        byte[] bytes = serde.serialize(Topics.ORDER_EVENTS, placed);
        SpecificRecord decoded = serde.deserialize(Topics.ORDER_EVENTS, bytes);

        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        assertThat(decoded).isInstanceOf(OrderPlaced.class).isEqualTo(placed);
    }

    @Test
    void readsAndWritesTheBytesOfTheHandWrittenEncoderOfBefore() {
        // OrderPlaced as the catalog serde wrote it before it used Avro's BinaryMessageEncoder: marker,
        // fingerprint, body. Records already on Kafka and in outbox tables are in this form.
        byte[] before = HexFormat.of().parseHex("c301e35455db9aa624bf"
                + "4830303030303030302d303030302d343030302d383030302d303030303030303030303137"
                + "4830303030303030302d303030302d343030302d383030302d303030303030303030303136"
                + "00f6a1abfef962"
                + "4830303030303030302d303030302d343030302d383030302d303030303030303030303136"
                + "0a616c696365040a534b552d31040a534b552d320200");
        UUID orderId = UUID.fromString("00000000-0000-4000-8000-000000000016");
        OrderPlaced placed = OrderPlaced.newBuilder(orderPlaced()).setOrderId(orderId)
                .setMetadata(MessageMetadata.newBuilder()
                        .setMessageId(UUID.fromString("00000000-0000-4000-8000-000000000017"))
                        .setCorrelationId(orderId.toString()).setCausationId(null)
                        .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_123L)).build())
                .build();

        assertThat(serde.deserialize(Topics.ORDER_EVENTS, before)).isEqualTo(placed);
        assertThat(serde.serialize(Topics.ORDER_EVENTS, placed)).isEqualTo(before);
    }

    @Test
    void readsAMessageWrittenWithAnOlderSchemaIntoTheCurrentClass() throws IOException {
        // Released before PaymentDeclined had its optional detail, with a field dropped since (test resources).
        SchemaCatalog catalog = new SchemaCatalog(List.of(PaymentDeclined.class), "older-history/");
        Schema older = catalog.released(PaymentDeclined.class.getName()).getFirst();
        byte[] bytes = SampleRecords.encode(older, SampleRecords.sample(older, null));

        SpecificRecord decoded = new CatalogSerde(catalog).deserialize(Topics.PAYMENT_EVENTS, bytes);

        assertThat(decoded).isInstanceOfSatisfying(PaymentDeclined.class, declined -> {
            assertThat(declined.getOrderId()).hasToString(SampleRecords.ORDER_ID);
            assertThat(declined.getReason()).isEqualTo(RejectionReason.values()[0]);
            assertThat(declined.getDetail()).isNull();
        });
    }

    @Test
    void rejectsBytesWithoutTheSingleObjectMarker() {
        assertReason(new byte[] {'{', '"', 'a', '"', ':', '1', '}', ' ', ' ', ' '},
                MessageDecodingException.Reason.NOT_SINGLE_OBJECT_ENCODED);
        assertReason(new byte[] {(byte) 0xC3, 0x01, 1}, MessageDecodingException.Reason.NOT_SINGLE_OBJECT_ENCODED);
        assertReason(null, MessageDecodingException.Reason.NOT_SINGLE_OBJECT_ENCODED);
    }

    @Test
    void rejectsAnUnknownWriterSchema() throws Exception {
        Schema stranger = SchemaBuilder.record("Stranger").namespace("elsewhere").fields()
                .requiredString("name").endRecord();
        GenericData.Record record = new GenericData.Record(stranger);
        record.put("name", "x");

        assertReason(SampleRecords.encode(stranger, record), MessageDecodingException.Reason.UNKNOWN_SCHEMA);
    }

    @Test
    void rejectsACorruptBody() {
        byte[] bytes = serde.serialize(Topics.ORDER_EVENTS, orderPlaced());

        assertReason(Arrays.copyOf(bytes, bytes.length - 5), MessageDecodingException.Reason.CORRUPT_PAYLOAD);
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertReason(longer, MessageDecodingException.Reason.CORRUPT_PAYLOAD);
        byte[] garbled = bytes.clone();
        Arrays.fill(garbled, 10, garbled.length, (byte) 0xFF);
        assertReason(garbled, MessageDecodingException.Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void namesWhatATruncatedBodyLacksInsteadOfNull() {
        byte[] bytes = serde.serialize(Topics.ORDER_EVENTS, orderPlaced());

        assertThatThrownBy(() -> serde.deserialize(Topics.ORDER_EVENTS, Arrays.copyOf(bytes, bytes.length - 1)))
                .hasMessage("CORRUPT_PAYLOAD: body does not match io.shopflow.contracts.order.OrderPlaced: "
                        + "java.io.EOFException");
    }

    @Test
    void rejectsADeclaredLengthBeyondTheLimitsInsteadOfAllocatingIt() throws IOException {
        byte[] header = Arrays.copyOf(serde.serialize(Topics.ORDER_EVENTS, orderPlaced()), 10);
        byte[] noItems = serde.serialize(Topics.ORDER_EVENTS, OrderPlaced.newBuilder(orderPlaced())
                .setItems(List.of()).build());
        // An empty array is its count 0, the last byte: replaced by a count of 2 billion items.
        byte[] beforeItems = Arrays.copyOf(noItems, noItems.length - 1);

        assertThatThrownBy(() -> serde.deserialize(Topics.ORDER_EVENTS, declaring(header, 2_000_000_000L)))
                .isInstanceOfSatisfying(MessageDecodingException.class, e -> assertThat(e.reason())
                        .isEqualTo(MessageDecodingException.Reason.CORRUPT_PAYLOAD))
                .hasMessageContaining("String length 2000000000 exceeds maximum allowed");
        assertThatThrownBy(() -> serde.deserialize(Topics.ORDER_EVENTS, declaring(beforeItems, 2_000_000_000L)))
                .isInstanceOfSatisfying(MessageDecodingException.class, e -> assertThat(e.reason())
                        .isEqualTo(MessageDecodingException.Reason.CORRUPT_PAYLOAD))
                .hasMessageContaining("Collection length 2000000000 exceeds");
        // Longer than any Java array can be, whatever the limits.
        assertReason(declaring(header, 3_000_000_000L), MessageDecodingException.Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void refusesToEncodeARecordOutsideTheCatalog() {
        SpecificRecord notAMessage = MessageMetadata.newBuilder().setMessageId(UUID.randomUUID())
                .setCorrelationId("c").setOccurredAt(Instant.now()).build();

        assertThatThrownBy(() -> serde.serialize(Topics.ORDER_EVENTS, notAMessage))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MessageMetadata");
    }

    @Test
    void refusesAnUnknownMode() {
        assertThatThrownBy(() -> MessageSerde.fromConfig(Map.of(SerdeConfig.MODE, "json")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("catalog or apicurio");
        assertThatThrownBy(() -> MessageSerde.fromConfig(Map.of(SerdeConfig.MODE, "apicurio")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(SerdeConfig.REGISTRY_URL);
    }

    static OrderPlaced orderPlaced() {
        UUID orderId = UUID.randomUUID();
        return OrderPlaced.newBuilder()
                .setMetadata(MessageMetadata.newBuilder().setMessageId(UUID.randomUUID())
                        .setCorrelationId(orderId.toString()).setCausationId(null)
                        .setOccurredAt(Instant.ofEpochMilli(1_700_000_000_123L)).build())
                .setOrderId(orderId)
                .setCustomerId("alice")
                .setItems(List.of(new OrderLine("SKU-1", 2), new OrderLine("SKU-2", 1)))
                .build();
    }

    /** {@code prefix}, then {@code length} as an Avro long: a declared length or count, and nothing after it. */
    private static byte[] declaring(byte[] prefix, long length) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(prefix);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        encoder.writeLong(length);
        encoder.flush();
        return out.toByteArray();
    }

    private void assertReason(byte[] bytes, MessageDecodingException.Reason reason) {
        assertThatThrownBy(() -> serde.deserialize(Topics.ORDER_EVENTS, bytes))
                .isInstanceOfSatisfying(MessageDecodingException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
