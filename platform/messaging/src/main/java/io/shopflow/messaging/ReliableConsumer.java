package io.shopflow.messaging;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopflow.contracts.Backoff;
import io.shopflow.contracts.MessageHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.GroupProtocol;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Kafka consumer-group member that never loses a record and never stops on a bad one.
 *
 * <ul>
 *   <li>Each record is processed in order; its offset is committed only after the processor
 *   returned or the record was moved on, so a crash means redelivery (at least once).</li>
 *   <li>With a {@link BatchProcessor}, the records of one poll are processed together, in one
 *   transaction; if that fails, one by one as below, so that a failing record neither undoes
 *   nor repeats the others' effects.</li>
 *   <li>A failing record is retried in place with exponential backoff and jitter, then sent to
 *   the retry topic, which a second loop consumes after a delay; what still fails, fails
 *   permanently (undecodable), or comes back from the retry topic with a malformed retry header,
 *   goes to the dead-letter topic with the reason and its original topic, partition and offset in
 *   headers. The consumer then moves on.</li>
 * </ul>
 *
 * <p>Moving a record to the retry topic lets later records of the same key overtake it; the
 * Shopflow consumers ignore out-of-order messages, so this trades order for progress.
 */
public final class ReliableConsumer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ReliableConsumer.class);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A dead letter too large to copy whole keeps headers (and a key) up to this size, ... */
    private static final int SMALL = 1024;
    /** ... and up to this much of them in all. */
    private static final int SMALL_TOTAL = 64 * 1024;

    private final ConsumerSettings settings;
    private final Backoff backoff;
    private final RecordProcessor processor;
    private final KafkaProducer<String, byte[]> producer;
    private final ConsumerMetrics metrics;
    private final MeterRegistry registry;
    private final Loop main;
    private final Loop retry;
    private volatile boolean running = true;

    private ReliableConsumer(ConsumerSettings settings, RecordProcessor processor, MeterRegistry registry) {
        this.settings = settings;
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
        this.processor = processor;
        this.producer = new KafkaProducer<>(settings.kafka().clientConfig(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-failures")),
                new StringSerializer(), new ByteArraySerializer());
        this.registry = registry;
        this.metrics = new ConsumerMetrics(registry, settings.groupId(), settings.topics());
        this.main = new Loop(settings.topics(), false);
        this.retry = new Loop(List.of(settings.retryTopic()), true);
    }

    /** Joins the group and starts consuming on two threads (main topics, retry topic). */
    public static ReliableConsumer start(ConsumerSettings settings, RecordProcessor processor, MeterRegistry registry) {
        ReliableConsumer consumer = new ReliableConsumer(settings, processor, registry);
        consumer.main.thread.start();
        consumer.retry.thread.start();
        return consumer;
    }

    /** True while both loops run; false after {@link #close()} or a fatal error. */
    public boolean isRunning() {
        return running && main.thread.isAlive() && retry.thread.isAlive();
    }

    /** Leaves the group after the record in progress; commits what was processed. */
    @Override
    public void close() {
        running = false;
        main.consumer.wakeup();
        retry.consumer.wakeup();
        join(main.thread);
        join(retry.thread);
        producer.close(Duration.ofSeconds(10));
    }

    private final class Loop implements Runnable {

        private final KafkaConsumer<String, byte[]> consumer;
        private final KafkaClientMetrics clientMetrics;
        private final List<String> topics;
        private final boolean retryTopic;
        private final Thread thread;

        Loop(List<String> topics, boolean retryTopic) {
            Map<String, Object> config = settings.kafka().clientConfig(Map.of());
            config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId() + (retryTopic ? "-retry" : ""));
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            // KIP-848 (ADR 13): the broker assigns partitions as members come and go, one member at a time,
            // without stopping the group; its session and heartbeat settings are the broker's (group.consumer.*).
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, GroupProtocol.CONSUMER.name().toLowerCase(Locale.ROOT));
            // Bounded work in flight: a poll's records are processed (and committed) before the next
            // poll, and the client prefetches at most 4 MiB (its default is 50 MiB).
            config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100);
            config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
            this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
            // kafka_consumer_fetch_manager_records_lag_max and the client's other metrics.
            this.clientMetrics = new KafkaClientMetrics(consumer);
            clientMetrics.bindTo(registry);
            this.topics = topics;
            this.retryTopic = retryTopic;
            this.thread = new Thread(this, "consumer-" + settings.groupId() + (retryTopic ? "-retry" : ""));
        }

        @Override
        public void run() {
            try {
                consumer.subscribe(topics);
                while (running) {
                    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                    if (!retryTopic) {
                        metrics.inFlight(records.count());
                    }
                    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                    if (!retryTopic && handledAsBatch(records)) {
                        for (TopicPartition partition : records.partitions()) {
                            List<ConsumerRecord<String, byte[]>> taken = records.records(partition);
                            done.put(partition, new OffsetAndMetadata(taken.get(taken.size() - 1).offset() + 1));
                        }
                    } else {
                        for (ConsumerRecord<String, byte[]> record : records) {
                            if (!running) {
                                break;
                            }
                            if (retryTopic) {
                                retry(record);
                            } else {
                                handle(record, 0);
                            }
                            done.put(new TopicPartition(record.topic(), record.partition()),
                                    new OffsetAndMetadata(record.offset() + 1));
                        }
                    }
                    if (!done.isEmpty()) {
                        consumer.commitSync(done);
                    }
                    if (!retryTopic) {
                        metrics.inFlight(0);
                    }
                }
            } catch (WakeupException e) {
                if (running) {
                    LOG.errorf(e, "Consumer %s woken up unexpectedly", thread.getName());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Consumer %s stopped", thread.getName());
            } finally {
                consumer.close(Duration.ofSeconds(10));
                clientMetrics.close();
            }
        }
    }

    /**
     * True when the processor took all of {@code records} in one batch; false when there is no
     * batch to try (fewer than two records, or a processor without batches) or it failed, in
     * which case nothing of it was committed and the records are handled one by one.
     */
    private boolean handledAsBatch(ConsumerRecords<String, byte[]> records) {
        if (records.count() < 2 || !(processor instanceof BatchProcessor batchProcessor)) {
            return false;
        }
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>(records.count());
        records.forEach(batch::add);
        try {
            long started = System.nanoTime();
            batchProcessor.processBatch(batch);
            Duration each = Duration.ofNanos((System.nanoTime() - started) / batch.size());
            batch.forEach(record -> metrics.processed(record, each));
            return true;
        } catch (Exception e) {
            metrics.batchSplit();
            LOG.debugf("Batch of %d records failed (%s); processing them one by one", batch.size(), e);
            return false;
        }
    }

    /**
     * A record from the retry topic: waits until it is due ({@code shopflow-retry-due-at}), then
     * handles it as one that made {@code shopflow-retry-count} passes. A malformed retry header
     * dead-letters it at once: retrying cannot mend a header, and one that cannot be read must not
     * stop the loop.
     */
    private void retry(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        long passes;
        long due;
        try {
            passes = FailureHeaders.number(record.headers(), MessageHeaders.RETRY_COUNT, 0);
            due = FailureHeaders.number(record.headers(), MessageHeaders.RETRY_DUE_AT, 0);
        } catch (PermanentFailure malformed) {
            deadLetter(record, malformed, 0);
            return;
        }
        awaitDue(record, due);
        handle(record, passes);
    }

    /** Processes {@code record}, which has been through the retry topic {@code passes} times. */
    private void handle(ConsumerRecord<String, byte[]> record, long passes) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                long started = System.nanoTime();
                processor.process(record);
                metrics.processed(record, Duration.ofNanos(System.nanoTime() - started));
                return;
            } catch (Exception e) {
                if (isPermanent(e)) {
                    deadLetter(record, e, attempt);
                    return;
                }
                if (attempt >= settings.inPlaceAttempts()) {
                    if (passes < settings.retryTopicAttempts()) {
                        sendToRetry(record, e, attempt, passes + 1);
                    } else {
                        deadLetter(record, e, attempt);
                    }
                    return;
                }
                Duration wait = backoff.delay(attempt);
                metrics.retriedInPlace(record);
                LOG.warnf("Record %s-%d@%d failed (attempt %d: %s); retrying in %d ms", record.topic(),
                        record.partition(), record.offset(), attempt, e, wait.toMillis());
                TimeUnit.NANOSECONDS.sleep(wait.toNanos());
            }
        }
    }

    private static boolean isPermanent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PermanentFailure || t instanceof SerializationException) {
                return true;
            }
        }
        return false;
    }

    private void sendToRetry(ConsumerRecord<String, byte[]> record, Exception e, int attempts, long pass)
            throws InterruptedException {
        RecordHeaders headers = failureHeaders(record, record.headers(), e, "", attempts);
        FailureHeaders.put(headers, MessageHeaders.RETRY_COUNT, pass);
        FailureHeaders.put(headers, MessageHeaders.RETRY_DUE_AT,
                Instant.now().plus(settings.retryDelay()).toEpochMilli());
        if (!send(new ProducerRecord<>(settings.retryTopic(), null, record.key(), record.value(), headers))) {
            // What cannot be copied whole cannot be retried: the dead letter keeps what fits.
            deadLetter(record, e, attempts);
            return;
        }
        metrics.sentToRetryTopic(record);
        LOG.warnf("Record %s-%d@%d failed %d times (%s); retry pass %d via %s", record.topic(), record.partition(),
                record.offset(), attempts, e, pass, settings.retryTopic());
    }

    /**
     * Copies {@code record} to the dead-letter topic with the failure headers. When that copy is larger than
     * a record may be (the failure headers took a record near Kafka's largest size beyond it), the dead
     * letter keeps what fits: no value, the record's headers of up to {@value #SMALL} bytes each (up to
     * {@value #SMALL_TOTAL} in all), its key if it is that small, and a reason that says what was left out.
     */
    private void deadLetter(ConsumerRecord<String, byte[]> record, Exception e, int attempts)
            throws InterruptedException {
        if (!send(new ProducerRecord<>(settings.deadLetterTopic(), null, record.key(), record.value(),
                failureHeaders(record, record.headers(), e, "", attempts)))) {
            RecordHeaders small = new RecordHeaders();
            int dropped = 0;
            long total = 0;
            for (Header header : record.headers()) {
                int size = header.key().length() + (header.value() == null ? 0 : header.value().length);
                if (size <= SMALL && total + size <= SMALL_TOTAL) {
                    small.add(header);
                    total += size;
                } else {
                    dropped++;
                }
            }
            String key = record.key() == null || record.key().length() > SMALL ? null : record.key();
            String note = " (its copy exceeded the largest record size: dead-lettered without its value ("
                    + (record.value() == null ? 0 : record.value().length) + " bytes), "
                    + (key == null && record.key() != null ? "its key, " : "") + dropped + " of its headers)";
            if (!send(new ProducerRecord<>(settings.deadLetterTopic(), null, key, null,
                    failureHeaders(record, small, e, note, attempts)))) {
                throw new IllegalStateException("Could not dead-letter " + record.topic() + "-" + record.partition()
                        + "@" + record.offset() + " even without its value and large headers");
            }
        }
        metrics.deadLettered(record);
        LOG.errorf("Record %s-%d@%d dead-lettered to %s after %d attempt(s): %s", record.topic(),
                record.partition(), record.offset(), settings.deadLetterTopic(), attempts, e);
    }

    /**
     * The record's {@code headers} and the failure headers: the reason (with {@code note}), and where the
     * record came from. That is the record's own topic, partition and offset, unless it comes from the
     * retry topic with an original topic that is one of the group's (this consumer wrote it); any other
     * original-topic header was forged by the record's producer.
     */
    private RecordHeaders failureHeaders(ConsumerRecord<String, byte[]> record, Iterable<Header> headers,
                                         Exception e, String note, int attempts) {
        RecordHeaders copy = new RecordHeaders(headers);
        boolean retried = record.topic().equals(settings.retryTopic())
                && FailureHeaders.get(copy, MessageHeaders.ORIGINAL_TOPIC).filter(settings.topics()::contains)
                .isPresent();
        if (!retried) {
            FailureHeaders.put(copy, MessageHeaders.ORIGINAL_TOPIC, record.topic());
            FailureHeaders.put(copy, MessageHeaders.ORIGINAL_PARTITION, record.partition());
            FailureHeaders.put(copy, MessageHeaders.ORIGINAL_OFFSET, record.offset());
        }
        // An exception without a message still names a reason: its class.
        FailureHeaders.put(copy, MessageHeaders.FAILURE_REASON, (e.getMessage() == null ? e.toString() : e.getMessage()) + note);
        FailureHeaders.put(copy, MessageHeaders.FAILURE_EXCEPTION, e.getClass().getName());
        FailureHeaders.put(copy, MessageHeaders.FAILURE_ATTEMPTS, attempts);
        FailureHeaders.put(copy, MessageHeaders.FAILED_AT, Instant.now());
        return copy;
    }

    /**
     * Synchronous and without limit: the offset of the failed record is committed only once its
     * copy is safe in Kafka, so a broker outage delays the consumer but loses nothing. False, at once,
     * when the copy is larger than a record may be: no retry makes it smaller.
     */
    private boolean send(ProducerRecord<String, byte[]> record) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                producer.send(record).get(30, TimeUnit.SECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    LOG.warnf("A copy for %s is too large (%s)", record.topic(), e.getCause().getMessage());
                    return false;
                }
                if (!running) {
                    throw new IllegalStateException("stopped before " + record.topic() + " acknowledged", e);
                }
                Duration wait = backoff.delay(attempt);
                LOG.warnf("Could not write to %s (attempt %d: %s); retrying in %d ms", record.topic(), attempt, e,
                        wait.toMillis());
                TimeUnit.NANOSECONDS.sleep(wait.toNanos());
            }
        }
    }

    /**
     * Waits until {@code due} (epoch millis), but no longer than the retry delay after the record was
     * written (its timestamp, or now if that is earlier): this consumer writes its own time plus that
     * delay, so a later time is not its own (or the clock went back) and must not park the loop. From
     * the write time, not from now: records with forged due times written together wait out one
     * delay together, not one delay each, one after the other.
     */
    private void awaitDue(ConsumerRecord<String, byte[]> record, long due) throws InterruptedException {
        long now = System.currentTimeMillis();
        long written = record.timestamp() < 0 ? now : Math.min(record.timestamp(), now);
        long latest = written + settings.retryDelay().toMillis();
        if (due > latest) {
            LOG.warnf("Record %s-%d@%d is due at %d, more than the retry delay (%d ms) after it was written (%d); "
                    + "retrying it then", record.topic(), record.partition(), record.offset(), due,
                    settings.retryDelay().toMillis(), written);
        }
        long until = Math.min(due, latest);
        while (running && System.currentTimeMillis() < until) {
            TimeUnit.MILLISECONDS.sleep(Math.min(200, until - System.currentTimeMillis()));
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
