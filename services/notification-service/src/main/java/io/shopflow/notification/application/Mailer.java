package io.shopflow.notification.application;

import io.shopflow.notification.domain.Notification;
import io.smallrye.mutiny.Uni;

/** Port: delivers a notification to the customer's mailbox. */
public interface Mailer {

    /** Completes when the mail server accepted it; fails when it refused it or did not answer in time. */
    Uni<Void> send(Notification notification);
}
