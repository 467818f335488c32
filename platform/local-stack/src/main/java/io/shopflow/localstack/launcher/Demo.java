package io.shopflow.localstack.launcher;

import io.shopflow.contracts.MessageHeaders;
import io.shopflow.contracts.Topics;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.testing.DevTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places one order against the running local stack and follows it: the HTTP answer, the
 * stored order, and its {@code OrderPlaced} message as the relay published it to Kafka.
 */
public final class Demo {

    private final StackLayout layout;

    public Demo(StackLayout layout) {
        this.layout = layout;
    }

    /** Places the order and follows it; fails when it is not accepted or does not reach Kafka within 30 s. */
    public void run() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + layout.port(Service.ORDER);
        DevTokens tokens = new DevTokens(layout.repository().resolve("infra/dev-keys/jwt-private.pem"));
        String ops = "Bearer " + tokens.mint("ops-demo", true, Instant.now());
        String alice = "Bearer " + tokens.mint("alice", false, Instant.now());
        Map<String, String> stock = Map.of("SKU-1", "{\"available\":1000,\"priceCents\":1299}",
                "SKU-2", "{\"available\":1000,\"priceCents\":499}");
        for (Map.Entry<String, String> sku : stock.entrySet()) {
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                            + layout.port(Service.INVENTORY) + "/stock/" + sku.getKey()))
                    .header("Content-Type", "application/json").header("Authorization", ops)
                    .PUT(HttpRequest.BodyPublishers.ofString(sku.getValue())).build(), HttpResponse.BodyHandlers.ofString());
            System.out.println("PUT /stock/" + sku.getKey() + " -> " + put.statusCode() + " " + put.body());
        }
        String body = "{\"customerId\":\"alice\",\"items\":[{\"sku\":\"SKU-1\",\"quantity\":2},"
                + "{\"sku\":\"SKU-2\",\"quantity\":1}]}";
        long placedAt = System.currentTimeMillis();
        HttpResponse<String> placed = http.send(HttpRequest.newBuilder(URI.create(base + "/orders"))
                .header("Content-Type", "application/json").header("Authorization", alice)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("POST /orders -> " + placed.statusCode() + " " + placed.body());
        Matcher m = OpsClient.ORDER_ID.matcher(placed.body());
        if (placed.statusCode() != 202 || !m.find()) {
            throw new IllegalStateException("order was not accepted");
        }
        String orderId = m.group(1);
        HttpResponse<String> order = http.send(HttpRequest.newBuilder(URI.create(base + "/orders/" + orderId))
                .header("Authorization", alice).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("GET /orders/" + orderId + " -> " + order.statusCode() + " " + order.body());

        MessageSerde serde = MessageSerde.fromConfig(Map.of());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(layout.kafkaAdmin().clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "local-stack-demo-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.ORDER_EVENTS));
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (orderId.equals(record.key())) {
                        System.out.printf("Kafka %s[%d]@%d, %d ms after the POST: %s%n  traceparent: %s%n",
                                record.topic(), record.partition(), record.offset(),
                                record.timestamp() - placedAt,
                                serde.deserialize(record.topic(), record.value()),
                                header(record, MessageHeaders.TRACEPARENT));
                        followSaga(http, orderId, placedAt, ops, alice);
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("OrderPlaced for " + orderId + " did not reach " + Topics.ORDER_EVENTS
                + " within 30 s; see " + layout.logs().resolve(StackProcess.RELAY + ".log"));
    }

    /** Polls the orchestrator until the order's saga reaches a final state (or 30 s pass). */
    private void followSaga(HttpClient http, String orderId, long placedAt, String ops, String alice)
            throws Exception {
        URI saga = URI.create("http://localhost:" + layout.port(Service.SAGA) + "/sagas/" + orderId);
        String last = "";
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(saga).header("Authorization", ops)
                    .build(), HttpResponse.BodyHandlers.ofString());
            Matcher state = Pattern.compile("\"state\":\"(\\w+)\",\"step\":\"(\\w+)\"").matcher(response.body());
            if (response.statusCode() == 200 && state.find()) {
                String now = state.group(1) + " at " + state.group(2);
                if (!now.equals(last)) {
                    System.out.printf("saga %s, %d ms after the POST%n", now, System.currentTimeMillis() - placedAt);
                    last = now;
                }
                if (OrderRecords.isFinal(state.group(1))) {
                    printHistory(response.body());
                    HttpResponse<String> order = http.send(HttpRequest.newBuilder(URI.create("http://localhost:"
                            + layout.port(Service.ORDER) + "/orders/" + orderId)).header("Authorization", alice).build(),
                            HttpResponse.BodyHandlers.ofString());
                    System.out.println("GET /orders/" + orderId + " -> " + order.statusCode() + " " + order.body());
                    return;
                }
            }
            Thread.sleep(100);
        }
        System.out.println("saga not final after 30 s: " + last + " (see " + layout.logs() + ")");
    }

    /**
     * The saga's own record of its steps: polling every 100 ms shows only the states it happens
     * to catch, the history has every step.
     */
    private static void printHistory(String saga) {
        System.out.println("saga history:");
        Matcher entry = Pattern.compile("\\{\"at\":\"([^\"]+)\",\"step\":\"(\\w+)\",\"event\":\"((?:[^\"\\\\]|\\\\.)*)\"}")
                .matcher(saga);
        while (entry.find()) {
            System.out.printf("  %s  %-18s %s%n", entry.group(1), entry.group(2), entry.group(3));
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "-" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
