package io.shopflow.notification.adapter.mail;

import io.quarkus.mailer.reactive.ReactiveMailer;
import io.shopflow.notification.domain.Notification;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** An SMTP server that refuses the first sends, then accepts; installed per test with {@code QuarkusMock}. */
public class FailingEmailSender extends EmailSender {

    private final AtomicInteger failuresLeft;
    private final AtomicInteger attempts = new AtomicInteger();

    public FailingEmailSender(ReactiveMailer mailer, int failures) {
        super(mailer, Duration.ofSeconds(10));
        this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public Uni<Void> send(Notification notification) {
        attempts.incrementAndGet();
        if (failuresLeft.getAndDecrement() > 0) {
            return Uni.createFrom().failure(new IllegalStateException("SMTP server refused the email (test)"));
        }
        return super.send(notification);
    }

    public int attempts() {
        return attempts.get();
    }
}
