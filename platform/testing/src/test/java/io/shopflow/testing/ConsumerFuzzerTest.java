package io.shopflow.testing;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.common.OrderLine;
import io.shopflow.contracts.inventory.ReserveStock;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerFuzzerTest {

    private static final List<String> TOPICS = List.of(Topics.INVENTORY_COMMANDS);
    private static final String RETRY_TOPIC = "shopflow.inventory-service.retry";

    @Test
    void theSameSeedProducesTheSameRecords() {
        List<ConsumerFuzzer.Fuzzed> first = new ConsumerFuzzer(42).records(TOPICS, RETRY_TOPIC, topic -> reserve());
        List<ConsumerFuzzer.Fuzzed> again = new ConsumerFuzzer(42).records(TOPICS, RETRY_TOPIC, topic -> reserve());

        assertThat(again).hasSameSizeAs(first);
        IntStream.range(0, first.size()).forEach(i -> {
            ConsumerFuzzer.Fuzzed a = first.get(i);
            ConsumerFuzzer.Fuzzed b = again.get(i);
            assertThat(b.kind()).isEqualTo(a.kind());
            assertThat(b.record().topic()).isEqualTo(a.record().topic());
            assertThat(b.record().key()).isEqualTo(a.record().key());
            assertThat(b.record().headers().toArray()).as(a.kind()).containsExactly(a.record().headers().toArray());
            if (a.kind().contains("does not carry")) {
                // Its metadata says when it occurred: now, so that the inbox window does not refuse it first.
                assertThat(b.record().value()).hasSameSizeAs(a.record().value());
            } else {
                assertThat(b.record().value()).as(a.kind()).isEqualTo(a.record().value());
            }
        });
        assertThat(new ConsumerFuzzer(43).records(TOPICS, RETRY_TOPIC, topic -> reserve()))
                .extracting(ConsumerFuzzer.Fuzzed::kind)
                .isNotEqualTo(first.stream().map(ConsumerFuzzer.Fuzzed::kind).toList());
    }

    @Test
    void producesEveryClassToEveryTopicEachBadOneFollowedByAGoodOne() {
        List<ConsumerFuzzer.Fuzzed> records = new ConsumerFuzzer(7).records(TOPICS, RETRY_TOPIC, topic -> reserve());

        for (String topic : List.of(Topics.INVENTORY_COMMANDS, RETRY_TOPIC)) {
            assertThat(records.stream().filter(f -> f.record().topic().equals(topic) && f.message() == null)
                    .map(f -> f.kind().substring(0, f.kind().indexOf(" + "))).toList()).as(topic)
                    .containsExactlyInAnyOrder(
                    "null value and null key", "empty value", "random bytes", "marker with a short fingerprint",
                    "unknown fingerprint", "absurd STRING length", "absurd ARRAY length", "absurd UNION index",
                    "truncated", "trailing bytes",
                    records.stream().filter(f -> f.record().topic().equals(topic)
                                    && f.kind().contains("does not carry"))
                            .findFirst().orElseThrow().kind().split(" \\+ ")[0]);
        }
        IntStream.range(0, records.size() / 2).forEach(i -> {
            assertThat(records.get(2 * i).message()).as("bad").isNull();
            assertThat(records.get(2 * i + 1).message()).as("good after bad").isNotNull();
        });
        assertThat(records).filteredOn(f -> f.message() == null)
                .allSatisfy(f -> assertThat(f.expected()).isEqualTo(ConsumerFuzzer.Outcome.DEAD_LETTERED));
        assertThat(records).filteredOn(f -> f.message() != null).allSatisfy(f -> assertThat(f.expected()).isEqualTo(
                f.record().topic().equals(RETRY_TOPIC) && f.kind().contains("malformed retry headers")
                        ? ConsumerFuzzer.Outcome.DEAD_LETTERED : ConsumerFuzzer.Outcome.PROCESSED));
        assertThat(records).filteredOn(f -> f.kind().contains("1 MiB header")).isNotEmpty().allSatisfy(f ->
                assertThat(size(f)).as("a record Kafka takes by default")
                        .isBetween(1024 * 1024 - 512, 1024 * 1024 - 128));
        assertThat(records).filteredOn(f -> f.kind().startsWith("null value"))
                .allSatisfy(f -> assertThat(f.record().key()).isNull());
    }

    private static int size(ConsumerFuzzer.Fuzzed f) {
        int size = f.record().value() == null ? 0 : f.record().value().length;
        for (Header h : f.record().headers()) {
            size += h.key().length() + h.value().length;
        }
        return size;
    }

    /** Always the same message: what differs between runs is then the fuzzer's alone. */
    private static ReserveStock reserve() {
        UUID order = UUID.fromString("00000000-0000-0000-0000-000000000001");
        return ReserveStock.newBuilder().setMetadata(MessageMetadata.newBuilder()
                        .setMessageId(UUID.fromString("00000000-0000-0000-0000-000000000002"))
                        .setCorrelationId(order.toString()).setCausationId("cause")
                        .setOccurredAt(Instant.parse("2026-01-01T00:00:00Z")).build())
                .setOrderId(order).setItems(List.of(new OrderLine("SKU-1", 1))).build();
    }
}
