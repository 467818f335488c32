package io.shopflow.relay;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.relay.RelaySettings.Mode;
import io.shopflow.relay.TopicReader.Received;
import io.shopflow.relay.cdc.KafkaConnectWorker;
import io.shopflow.testing.KafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark's peer is only a fair comparison if it does the relay's job: Debezium on a Kafka
 * Connect worker, given the relay's connector settings, publishes the same records (key, headers,
 * payload) in the same per-aggregate order from a real PostgreSQL to a real broker.
 */
class KafkaConnectPeerTest {

    /** Kafka Connect's own offsets file. */
    @TempDir
    Path connectOffsets;

    @Test
    void publishesWhatTheRelayPublishes() throws Exception {
        OutboxDatabaseFixture database = OutboxDatabaseFixture.create("connect_peer", 10);
        String topic = "connect-peer." + System.nanoTime();
        try (TopicReader reader = new TopicReader(topic);
             KafkaConnectWorker worker = KafkaConnectWorker.start(database.source(),
                     RelaySettings.defaults(Mode.CDC, KafkaBroker.shared().connection(), database.source()),
                     connectOffsets)) {
            for (int tx = 0; tx < 10; tx++) {
                database.insert(topic, 50);
            }
            List<Received> received = reader.readUntil(500, Duration.ofSeconds(60));

            assertThat(received).hasSize(500);
            Map<String, Integer> lastSeq = new HashMap<>();
            for (Received r : received) {
                assertThat(r.key()).isEqualTo(r.aggregate());
                assertThat(r.seq()).isEqualTo(lastSeq.merge(r.aggregate(), 0, (last, zero) -> last + 1));
            }
            assertThat(received.get(0).headers())
                    .containsEntry(MessageHeaders.MESSAGE_TYPE, OutboxDatabaseFixture.MESSAGE_TYPE)
                    .containsEntry(MessageHeaders.AGGREGATE_TYPE, "Test")
                    .containsEntry(MessageHeaders.TRACEPARENT, OutboxDatabaseFixture.TRACEPARENT)
                    .containsKey(MessageHeaders.MESSAGE_ID)
                    .doesNotContainKey(MessageHeaders.CAUSATION_ID);
            assertThat(received.get(0).occurredAt()).isNotNull();
        }
    }
}
