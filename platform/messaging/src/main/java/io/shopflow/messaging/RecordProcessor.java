package io.shopflow.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Processes one record completely (decode, effect, commit of its transaction) or throws. It may
 * see the same record more than once; it must make a repeat harmless (the inbox does).
 */
@FunctionalInterface
public interface RecordProcessor {

    void process(ConsumerRecord<String, byte[]> record) throws Exception;
}
