package io.shopflow.saga.adapter.messaging;

import org.apache.avro.specific.SpecificRecord;

/** A message for the outbox: its topic and the Avro record. */
record OutgoingMessage(String topic, SpecificRecord message) {
}
