package io.shopflow.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * A {@link RecordProcessor} that can also process several records at once, atomically: all of
 * their effects commit together, or none does. A transaction per record costs more than the
 * work it protects (ADR 10), so the {@link ReliableConsumer} hands each poll's records over in
 * one call; when that call fails, it processes them again one by one, so that one bad record
 * neither undoes nor repeats the others' effects and gets the usual retries and dead letter.
 */
public interface BatchProcessor extends RecordProcessor {

    /**
     * Processes {@code records} (in this order, which keeps each key's order) in one
     * transaction, or throws having committed nothing. Like {@link #process}, it may see a record
     * again and must make the repeat harmless.
     */
    void processBatch(List<ConsumerRecord<String, byte[]>> records) throws Exception;
}
