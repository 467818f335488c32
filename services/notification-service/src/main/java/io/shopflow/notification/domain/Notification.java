package io.shopflow.notification.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * What a customer was told about one order outcome. There is at most one per order and
 * outcome; the store's unique key enforces it, whatever is redelivered.
 */
public record Notification(UUID id, UUID orderId, String customerId, Outcome outcome, String reason, String channel,
                           String recipient, String subject, String body, Instant sentAt) {
}
