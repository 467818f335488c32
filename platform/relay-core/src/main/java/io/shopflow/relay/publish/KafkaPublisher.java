package io.shopflow.relay.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.shopflow.contracts.Backoff;
import io.shopflow.relay.RelaySettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes batches of outbox records of one source to Kafka, in order, and does not return
 * before Kafka acknowledged every one of them: a failed attempt is retried from the first
 * unacknowledged record, after an exponential backoff with jitter, without limit and without
 * skipping anything. Only {@link #stopRetrying()} ends the retries.
 *
 * <p>The producer is idempotent with {@code acks=all}. Its {@code delivery.timeout.ms} is kept
 * short (the relay's delivery timeout) so that an outage shows up as relay-level retries, in the
 * WARN log and in {@code shopflow_relay_publish_retries_total}, rather than as a silent wait.
 *
 * <p>One thread publishes at a time; {@link #stopRetrying()} and {@link #close()} may be called
 * from another.
 */
public final class KafkaPublisher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KafkaPublisher.class);

    /** Told which records Kafka acknowledged, as a range of indexes into the published list. */
    @FunctionalInterface
    public interface AckListener {
        void acked(int fromInclusive, int toExclusive) throws InterruptedException;
    }

    private final String source;
    private final Map<String, Object> producerConfig;
    private final Duration closeTimeout;
    private final Backoff backoff;
    private final Counter published;
    private final Counter retries;
    private final Timer backoffDelays;
    private final Timer latency;
    private final PublishTracing tracing;
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** Records handed to {@link #publish} and not yet acknowledged: at most one batch (batch-size). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile KafkaProducer<byte[], byte[]> producer;

    public KafkaPublisher(String source, RelaySettings settings, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.source = source;
        this.tracing = new PublishTracing(openTelemetry, source);
        this.producerConfig = producerConfig(source, settings);
        this.closeTimeout = settings.deliveryTimeout();
        this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
        this.published = Counter.builder("shopflow.relay.published").tag("source", source)
                .description("Outbox messages acknowledged by Kafka").register(registry);
        this.retries = Counter.builder("shopflow.relay.publish.retries").tag("source", source)
                .description("Publish attempts that failed and were retried").register(registry);
        this.backoffDelays = Timer.builder("shopflow.relay.publish.backoff").tag("source", source)
                .description("Delays waited before retrying a failed publish").publishPercentileHistogram()
                .register(registry);
        this.latency = Timer.builder("shopflow.relay.publish.latency").tag("source", source)
                .description("From the outbox row's created_at to Kafka's acknowledgement")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("shopflow.relay.in.flight", inFlight, AtomicInteger::get).tag("source", source)
                .description("Records of the current batch not yet acknowledged by Kafka (at most shopflow.relay.batch-size, or one larger transaction)")
                .register(registry);
    }

    /**
     * Publishes {@code records} in order and returns once Kafka acknowledged all of them.
     * {@code listener} hears about acknowledged prefixes as they complete, so that a caller can
     * mark them processed even if a later attempt is cut short by {@link #stopRetrying()}.
     *
     * @throws InterruptedException when the thread is interrupted or {@link #stopRetrying()} was
     *                              called before everything was acknowledged
     */
    public void publish(List<OutboxRecord> records, AckListener listener) throws InterruptedException {
        inFlight.set(records.size());
        try {
            publishAll(records, listener);
        } finally {
            inFlight.set(0);
        }
    }

    private void publishAll(List<OutboxRecord> records, AckListener listener) throws InterruptedException {
        int from = 0;
        int attempt = 0;
        int neverSent = 0;
        while (from < records.size()) {
            if (stopping.getCount() == 0) {
                throw new InterruptedException("The relay of source " + source + " is stopping");
            }
            Attempt result = send(records, from, neverSent);
            neverSent = Math.max(neverSent, result.handedOver());
            if (result.acked() > from) {
                published.increment(result.acked() - from);
                inFlight.set(records.size() - result.acked());
                listener.acked(from, result.acked());
            }
            if (result.acked() == records.size()) {
                return;
            }
            attempt++;
            Duration delay = backoff.delay(attempt);
            retries.increment();
            backoffDelays.record(delay);
            LOG.warnf("Publishing to Kafka failed for source %s (attempt %d, %d of %d records unacknowledged): %s;"
                            + " retrying in %d ms", source, attempt, records.size() - result.acked(), records.size(),
                    result.error(), delay.toMillis());
            if (stopping.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new InterruptedException("The relay of source " + source + " is stopping");
            }
            from = result.acked();
        }
    }

    /** Lets the current attempt finish but makes a failure final: {@link #publish} then throws. */
    public void stopRetrying() {
        stopping.countDown();
    }

    /** Stops retrying, flushes what was sent (bounded by the delivery timeout) and closes the producer. */
    @Override
    public void close() {
        stopRetrying();
        KafkaProducer<byte[], byte[]> current = producer;
        producer = null;
        if (current != null) {
            current.close(closeTimeout);
        }
    }

    /** Sends {@code records[from..]}; those from {@code neverSent} on are handed to a producer for the first time. */
    private Attempt send(List<OutboxRecord> records, int from, int neverSent) throws InterruptedException {
        KafkaProducer<byte[], byte[]> current = producer();
        List<Future<RecordMetadata>> sends = new ArrayList<>(records.size() - from);
        for (int i = from; i < records.size(); i++) {
            OutboxRecord record = records.get(i);
            Span span = tracing.startPublish(record, i >= neverSent, Instant.now());
            try {
                sends.add(current.send(record.toProducerRecord(PublishTracing.headersOf(span)), (metadata, error) -> {
                    if (error != null) {
                        // Closing in the callback, on the producer's I/O thread, aborts every later
                        // record before it can be written: a retry from this record keeps the order.
                        current.close(Duration.ZERO);
                    } else {
                        latency.record(Duration.between(record.createdAt(), Instant.now()));
                    }
                    PublishTracing.end(span, error);
                }));
            } catch (KafkaException | IllegalStateException e) {
                // Closed by a failure callback, or metadata unavailable: the rest waits for the retry.
                PublishTracing.end(span, e);
                sends.add(CompletableFuture.failedFuture(e));
                break;
            }
        }
        int handedOver = from + sends.size();
        int acked = from;
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
                acked++;
            } catch (ExecutionException e) {
                discard(current);
                return new Attempt(acked, handedOver, e.getCause());
            }
        }
        return new Attempt(acked, handedOver, null);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        KafkaProducer<byte[], byte[]> current = producer;
        if (current == null) {
            current = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
            producer = current;
        }
        return current;
    }

    private void discard(KafkaProducer<byte[], byte[]> failed) {
        failed.close(Duration.ZERO);
        if (producer == failed) {
            producer = null;
        }
    }

    private static Map<String, Object> producerConfig(String source, RelaySettings settings) {
        int deliveryTimeoutMs = (int) settings.deliveryTimeout().toMillis();
        int lingerMs = 1;
        return settings.kafka().clientConfig(Map.ofEntries(
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "shopflow-relay-" + source),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                // Idempotence keeps order with up to 5 requests in flight per partition.
                Map.entry(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, lingerMs),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs),
                // delivery.timeout.ms must cover linger.ms + request.timeout.ms.
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1, deliveryTimeoutMs - lingerMs)),
                // A fresh producer waits this long for metadata while the broker is down.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, (long) deliveryTimeoutMs)));
    }

    private record Attempt(int acked, int handedOver, Throwable error) {
    }
}
