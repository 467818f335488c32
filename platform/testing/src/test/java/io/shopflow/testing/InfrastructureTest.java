package io.shopflow.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class InfrastructureTest {

    @Test
    void postgresRunsVersion17WithLogicalWal() throws Exception {
        PostgresServer pg = PostgresServer.shared();
        pg.createDatabase("infra_check");
        try (Connection c = pg.connect("infra_check")) {
            ResultSet rs = c.createStatement().executeQuery("SHOW wal_level");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("logical");
            rs = c.createStatement().executeQuery("SHOW server_version_num");
            rs.next();
            assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(170000);
        }
    }

    @Test
    void brokerDeliversRecordsAndSurvivesARestart() throws Exception {
        KafkaBroker broker = KafkaBroker.shared();
        broker.createTopic("infra-check", 1);
        send(broker, "before");
        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        broker.start();
        send(broker, "after");

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(broker.connection().clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "infra-check",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("infra-check"));
            List<String> values = new ArrayList<>();
            // The consumer's poll is the wait; a consumer is single-threaded, so it is polled on this thread.
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ZERO).untilAsserted(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
                assertThat(values).hasSizeGreaterThanOrEqualTo(2);
            });
            assertThat(values).containsExactly("before", "after");
        }
    }

    private static void send(KafkaBroker broker, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(broker.connection().clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all")), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("infra-check", "k", value)).get(30, TimeUnit.SECONDS);
        }
    }
}
