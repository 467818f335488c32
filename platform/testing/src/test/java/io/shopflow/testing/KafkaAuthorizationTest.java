package io.shopflow.testing;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.KafkaConnection;
import io.shopflow.contracts.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The embedded broker authorizes as ADR 14 describes: each principal gets exactly its ACLs. */
class KafkaAuthorizationTest {

    private final KafkaBroker broker = KafkaBroker.shared();

    @Test
    void refusesInventoryServiceProducingAnOrderCommand() {
        assertThatThrownBy(() -> send(broker.connection(ConsumerGroups.INVENTORY), Topics.ORDER_COMMANDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class)
                .cause().hasMessageContaining(Topics.ORDER_COMMANDS);
    }

    @Test
    void refusesAServiceWritingEvenItsOwnEventsWhichOnlyTheRelayPublishes() throws Exception {
        assertThatThrownBy(() -> send(broker.connection(ConsumerGroups.INVENTORY), Topics.INVENTORY_EVENTS))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        send(broker.connection(KafkaAccess.RELAY), Topics.INVENTORY_EVENTS);
    }

    @Test
    void refusesAClientWithAWrongPassword() {
        KafkaConnection impostor = KafkaConnection.scram(broker.bootstrapServers(), ConsumerGroups.INVENTORY, "guess");
        assertThatThrownBy(() -> send(impostor, Topics.INVENTORY_COMMANDS))
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void letsInventoryServiceConsumeItsCommandsAndWriteItsRetryAndDeadLetterTopics() throws Exception {
        KafkaConnection inventory = broker.connection(ConsumerGroups.INVENTORY);
        String value = send(broker.connection(KafkaAccess.RELAY), Topics.INVENTORY_COMMANDS);
        send(inventory, KafkaAccess.INVENTORY.retryTopic());
        send(inventory, KafkaAccess.INVENTORY.deadLetterTopic());

        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(inventory.clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, KafkaAccess.INVENTORY.group(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.INVENTORY_COMMANDS));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).pollInSameThread().pollInterval(Duration.ZERO).untilAsserted(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
                assertThat(values).contains(value);
            });
            consumer.commitSync();
        }
    }

    @Test
    void hasExactlyTheAclsOfTheDescriptionAndItsTopics() throws Exception {
        try (Admin admin = broker.admin()) {
            assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                    .containsExactlyInAnyOrderElementsOf(KafkaAccess.acls());
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(KafkaAccess.topics());
        }
    }

    /** Sends a fresh value to {@code topic} as {@code connection}'s principal and waits for the ack. */
    private static String send(KafkaConnection connection, String topic) throws Exception {
        String value = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(connection.clientConfig(Map.of(
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000)), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "k", value)).get(30, TimeUnit.SECONDS);
        }
        return value;
    }
}
