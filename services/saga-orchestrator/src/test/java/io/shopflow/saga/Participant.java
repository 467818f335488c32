package io.shopflow.saga;

import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.contracts.serde.MessageSerde;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.ServiceMessages;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A participant as the orchestrator sees it through Kafka: a member of the participant's consumer
 * group on its command topic that works through the commands of the test's orders one at a time,
 * {@code serviceTime} each, publishes its reply and only then commits, as the services' consumers
 * do. Records of other orders (earlier tests) are committed and skipped.
 */
final class Participant implements AutoCloseable {

    private final MessageSerde serde = new CatalogSerde();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String commands;
    private final String replies;
    private final Duration serviceTime;
    private final Set<String> orders;
    private final Function<SpecificRecord, SpecificRecord> reply;
    private final ServiceMessages messages;
    private final Map<String, Integer> handled = new ConcurrentHashMap<>();
    private final CountDownLatch assigned = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;

    private Participant(String group, String commands, String replies, Duration serviceTime, Set<String> orders,
                        Function<SpecificRecord, SpecificRecord> reply, ServiceMessages messages) {
        this.consumer = new KafkaConsumer<>(KafkaBroker.shared().connection().clientConfig(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")), new StringDeserializer(), new ByteArrayDeserializer());
        this.commands = commands;
        this.replies = replies;
        this.serviceTime = serviceTime;
        this.orders = Set.copyOf(orders);
        this.reply = reply;
        this.messages = messages;
        this.thread = new Thread(this::run, "participant-" + group);
    }

    /**
     * Joins {@code group} on {@code commands} and returns once it was assigned its partitions;
     * answers each command of {@code orders} with {@code reply(command)} on {@code replies}.
     */
    static Participant start(String group, String commands, String replies, Duration serviceTime,
                             Set<String> orders, Function<SpecificRecord, SpecificRecord> reply,
                             ServiceMessages messages) throws InterruptedException {
        Participant participant = new Participant(group, commands, replies, serviceTime, orders, reply, messages);
        participant.thread.start();
        if (!participant.assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException(group + " was not assigned partitions of " + commands);
        }
        return participant;
    }

    /** How many commands of {@code type} for {@code order} this participant handled. */
    int handled(Class<? extends SpecificRecord> type, String order) {
        return handled.getOrDefault(type.getSimpleName() + ' ' + order, 0);
    }

    private void run() {
        try {
            consumer.subscribe(List.of(commands), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // Nothing is held between records: each one is committed once answered.
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assigned.countDown();
                }
            });
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (orders.contains(record.key())) {
                        Thread.sleep(serviceTime.toMillis());
                        SpecificRecord command = serde.deserialize(commands, record.value());
                        handled.merge(command.getSchema().getName() + ' ' + record.key(), 1, Integer::sum);
                        messages.send(replies, reply.apply(command));
                    }
                    consumer.commitSync(Map.of(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1)));
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // close() ends this thread; the flag is not restored so that closing still leaves the group.
        } finally {
            consumer.close();
        }
    }

    /** Stops, also in the middle of a command (a hung participant), and leaves the group. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
