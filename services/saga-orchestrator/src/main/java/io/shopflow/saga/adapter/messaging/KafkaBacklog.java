package io.shopflow.saga.adapter.messaging;

import io.shopflow.contracts.ConsumerGroups;
import io.shopflow.contracts.KafkaConnection;
import io.shopflow.contracts.Topics;
import io.shopflow.saga.application.Backlog;
import io.shopflow.saga.config.SagaSettings;
import io.shopflow.saga.domain.placeorder.PlaceOrderStep;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link Backlog} from Kafka's own bookkeeping, through an {@link Admin} client (ADR 8): a step's
 * command or reply may still be queued when the partition its order id maps to has records its
 * consumer group has not committed yet, and that group is healthy: it has members, and on that
 * topic it committed further, or was caught up, within the last two step timeouts. A group
 * without members (a stopped participant, once its session timed out) or one whose offsets
 * stand still is not a queue but an outage, and the saga's resend and compensation rules apply.
 *
 * <p>One probe asks the broker four questions (groups, their committed offsets, partition counts,
 * end offsets) whatever the number of due sagas. When the broker does not answer within
 * {@link #TIMEOUT}, the answer is {@link Queues#UNKNOWN} (deadlines behave as before ADR 8), a
 * warning is logged at most once a minute, and the broker is left alone for a while.
 */
@ApplicationScoped
class KafkaBacklog implements Backlog {

    private static final Logger LOG = Logger.getLogger(KafkaBacklog.class);
    /** Longest a probe waits for the broker: the scan holds the due sagas' row locks meanwhile. */
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** After a failed probe, scans do without one for this long rather than wait on a broker that is away. */
    private static final Duration QUIET_AFTER_FAILURE = Duration.ofSeconds(10);
    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    /** The group that consumes each topic a step's command or reply waits in. */
    private static final Map<String, String> CONSUMERS = Map.of(
            Topics.INVENTORY_COMMANDS, ConsumerGroups.INVENTORY,
            Topics.PAYMENT_COMMANDS, ConsumerGroups.PAYMENT,
            Topics.ORDER_COMMANDS, ConsumerGroups.ORDER,
            Topics.INVENTORY_EVENTS, ConsumerGroups.SAGA,
            Topics.PAYMENT_EVENTS, ConsumerGroups.SAGA,
            Topics.ORDER_EVENTS, ConsumerGroups.SAGA);

    /** Where each step's command and then its reply travel (the topics {@link SagaMessages} writes to and reads). */
    private static final Map<PlaceOrderStep, List<String>> QUEUES = new EnumMap<>(Map.of(
            PlaceOrderStep.RESERVE_STOCK, List.of(Topics.INVENTORY_COMMANDS, Topics.INVENTORY_EVENTS),
            PlaceOrderStep.RELEASE_STOCK, List.of(Topics.INVENTORY_COMMANDS, Topics.INVENTORY_EVENTS),
            PlaceOrderStep.AUTHORIZE_PAYMENT, List.of(Topics.PAYMENT_COMMANDS, Topics.PAYMENT_EVENTS),
            PlaceOrderStep.VOID_PAYMENT, List.of(Topics.PAYMENT_COMMANDS, Topics.PAYMENT_EVENTS),
            PlaceOrderStep.APPROVE_ORDER, List.of(Topics.ORDER_COMMANDS, Topics.ORDER_EVENTS),
            PlaceOrderStep.REJECT_ORDER, List.of(Topics.ORDER_COMMANDS, Topics.ORDER_EVENTS)));

    private final Admin admin;
    private final Clock clock;
    private final Duration stallWindow;
    /** Per "group topic": what the group had committed on the topic at the last probe, and since when it moves. */
    private final Map<String, Progress> progress = new HashMap<>();
    private volatile Instant quietUntil = Instant.MIN;
    private Instant lastWarning = Instant.MIN;

    KafkaBacklog(KafkaConnection kafka, SagaSettings settings, Clock clock) {
        // The saga's principal may describe the topics it sends commands to and their consumers' groups (ADR 14).
        this.admin = Admin.create(kafka.clientConfig(Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, ConsumerGroups.SAGA + "-backlog",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
        this.clock = clock;
        this.stallWindow = settings.stepTimeout().multipliedBy(2);
    }

    @PreDestroy
    void close() {
        admin.close(TIMEOUT);
    }

    @Override
    public Uni<Queues> probe() {
        if (clock.instant().isBefore(quietUntil)) {
            return Uni.createFrom().item(Queues.UNKNOWN);
        }
        // The Admin client blocks a worker thread, never the event loop; the answer goes back to
        // the caller's context, whose reactive session only works there.
        Context caller = Vertx.currentContext();
        Uni<Queues> observed = Uni.createFrom().item(this::observe).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return caller == null ? observed : observed.emitOn(task -> caller.runOnContext(ignored -> task.run()));
    }

    private synchronized Queues observe() {
        Instant now = clock.instant();
        try {
            Set<String> groups = Set.copyOf(CONSUMERS.values());
            Map<String, KafkaFuture<ConsumerGroupDescription>> described =
                    admin.describeConsumerGroups(groups).describedGroups();
            ListConsumerGroupOffsetsResult committed = admin.listConsumerGroupOffsets(groups.stream()
                    .collect(Collectors.toMap(Function.identity(), g -> new ListConsumerGroupOffsetsSpec())));
            Map<String, KafkaFuture<TopicDescription>> topics = admin.describeTopics(CONSUMERS.keySet()).topicNameValues();

            Map<String, Integer> partitions = new HashMap<>();
            for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : topics.entrySet()) {
                present(topic.getValue()).ifPresent(d -> partitions.put(topic.getKey(), d.partitions().size()));
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach((topic, count) -> {
                for (int p = 0; p < count; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            });
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all());

            Set<TopicPartition> waiting = new HashSet<>();
            for (Map.Entry<String, Integer> topic : partitions.entrySet()) {
                String group = CONSUMERS.get(topic.getKey());
                boolean alive = present(described.get(group)).map(d -> !d.members().isEmpty()).orElse(false);
                Map<TopicPartition, OffsetAndMetadata> offsets =
                        present(committed.partitionsToOffsetAndMetadata(group)).orElse(Map.of());
                waiting.addAll(waitingIn(group, topic.getKey(), topic.getValue(), alive, offsets, ends, now));
            }
            return new Observed(Map.copyOf(partitions), Set.copyOf(waiting));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(now, e);
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            return unknown(now, e);
        }
    }

    /** The partitions of {@code topic} with records {@code group} has not committed, if the group is healthy. */
    private List<TopicPartition> waitingIn(String group, String topic, int partitions, boolean alive,
                                           Map<TopicPartition, OffsetAndMetadata> offsets,
                                           Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends,
                                           Instant now) {
        long position = 0;
        List<TopicPartition> behind = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            TopicPartition partition = new TopicPartition(topic, p);
            OffsetAndMetadata offset = offsets.get(partition);
            long next = offset == null ? 0 : offset.offset();
            position += next;
            if (ends.get(partition).offset() > next) {
                behind.add(partition);
            }
        }
        // Progress is judged per group and topic, not per partition: one consumer works through its
        // partitions in turn, so a single partition may stand still for a while behind the others.
        // A backlog first seen now, or one that appeared since a caught-up probe, gets a full window.
        String key = group + ' ' + topic;
        Progress last = progress.get(key);
        Instant since = last == null || last.position() != position || last.caughtUp() ? now : last.since();
        progress.put(key, new Progress(position, behind.isEmpty(), since));
        boolean moving = !now.isAfter(since.plus(stallWindow));
        return alive && moving ? behind : List.of();
    }

    private Queues unknown(Instant now, Exception e) {
        quietUntil = now.plus(QUIET_AFTER_FAILURE);
        if (!now.isBefore(lastWarning.plus(WARN_EVERY))) {
            lastWarning = now;
            LOG.warnf("Cannot observe the Kafka consumer groups (%s): saga deadlines treat every command as not "
                    + "queued, and the next %d s ask no more", e, QUIET_AFTER_FAILURE.toSeconds());
        }
        return Queues.UNKNOWN;
    }

    private static <T> T get(KafkaFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The future's value, or empty when the group or topic does not exist (yet). */
    private static <T> Optional<T> present(KafkaFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return Optional.ofNullable(get(future));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException || e.getCause() instanceof UnknownTopicOrPartitionException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private record Progress(long position, boolean caughtUp, Instant since) {
    }

    /** One probe's answer: partition counts, and the partitions with records waiting in a healthy group. */
    private record Observed(Map<String, Integer> partitions, Set<TopicPartition> waiting) implements Queues {

        @Override
        public boolean mayHold(UUID orderId, PlaceOrderStep step) {
            if (waiting.isEmpty()) {
                return false;
            }
            // The relay keys every record by the order id; the producer's default partitioner maps it.
            byte[] key = orderId.toString().getBytes(StandardCharsets.UTF_8);
            for (String topic : QUEUES.getOrDefault(step, List.of())) {
                Integer count = partitions.get(topic);
                if (count != null && waiting.contains(
                        new TopicPartition(topic, BuiltInPartitioner.partitionForKey(key, count)))) {
                    return true;
                }
            }
            return false;
        }
    }
}
