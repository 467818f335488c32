package io.shopflow.notification.adapter.mail;

import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.shopflow.notification.application.Mailer;
import io.shopflow.notification.domain.Notification;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * {@link Mailer} as a plain-text email over SMTP ({@code quarkus.mailer.*}).
 *
 * <p>Only a timeout here: the caller's transaction stays open while SMTP answers, so a hanging
 * server must not hold it for long. Retries are the consumer's (in place with backoff, then
 * through the retry topic), which also paces a failing server, so no retry or circuit breaker
 * of its own.
 */
@ApplicationScoped
public class EmailSender implements Mailer {

    private final ReactiveMailer mailer;
    private final Duration timeout;

    EmailSender(ReactiveMailer mailer, @ConfigProperty(name = "shopflow.notifications.mail-timeout") Duration timeout) {
        this.mailer = mailer;
        this.timeout = timeout;
    }

    @Override
    public Uni<Void> send(Notification notification) {
        return mailer.send(Mail.withText(notification.recipient(), notification.subject(), notification.body()))
                .ifNoItem().after(timeout).fail();
    }
}
