package io.shopflow.notification.application;

/**
 * The message a use case reacts to, as the messages it causes refer to it: the saga it belongs to
 * (its correlation id) and its own message id (their causation id).
 */
public record Cause(String correlationId, String messageId) {
}
