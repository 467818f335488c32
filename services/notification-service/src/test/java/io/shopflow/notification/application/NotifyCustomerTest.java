package io.shopflow.notification.application;

import io.shopflow.notification.domain.Notification;
import io.shopflow.notification.domain.Outcome;
import io.shopflow.outbox.UnitOfWork;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link NotifyCustomer} as ADR 15 makes it: a plain class, built here with in-memory ports and a
 * unit of work that is never opened, without Quarkus, a mail server or a database. The record, the
 * email and {@code CustomerNotified} happen in that order, the writes in the unit of work the
 * consumer handed in, so that the record and the event commit (or roll back) with its inbox entry.
 */
class NotifyCustomerTest {

    /** The consumer's transaction as a use case sees it: passed on to every port, never opened. */
    private static final UnitOfWork WORK = () -> {
        throw new AssertionError("a use case passes its unit of work on; only adapters open it");
    };
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
    private static final Cause CAUSE = new Cause("saga-1", "message-1");

    private final List<String> journal = new ArrayList<>();
    private final UUID order = UUID.randomUUID();

    @Test
    void recordsThenEmailsThenAnnouncesInTheUnitOfWorkItIsHanded() {
        Optional<Notification> sent = notifyCustomer(new JournalledEvents())
                .notifyOutcome(WORK, order, "Alice", Outcome.REJECTED, "OUT_OF_STOCK", CAUSE).await().indefinitely();

        assertThat(sent).hasValueSatisfying(n -> {
            assertThat(n.recipient()).isEqualTo("alice@customers.test");
            assertThat(n.sentAt()).isEqualTo(NOW);
        });
        assertThat(journal).containsExactly("record " + order + " REJECTED", "email alice@customers.test",
                "CustomerNotified " + order + " in saga-1 caused by message-1");
    }

    @Test
    void anEventThatCannotBeWrittenAfterTheEmailFailsTheUnitOfWork() {
        IllegalStateException refused = new IllegalStateException("outbox refused (test)");
        NotificationEvents failing = (work, notification, cause) -> Uni.createFrom().failure(refused);

        // The record rolls back with the unit of work, and the redelivered message emails again: at
        // least once for the email, never a record without one.
        assertThatThrownBy(() -> notifyCustomer(failing)
                .notifyOutcome(WORK, order, "Bob", Outcome.APPROVED, null, CAUSE).await().indefinitely())
                .isSameAs(refused);
        assertThat(journal).containsExactly("record " + order + " APPROVED", "email bob@customers.test");
    }

    private NotifyCustomer notifyCustomer(NotificationEvents events) {
        return new NotifyCustomer(new JournalledStore(), new JournalledMailer(), events,
                Clock.fixed(NOW, ZoneOffset.UTC), "customers.test");
    }

    private static void requireHanded(UnitOfWork work) {
        assertThat(work).as("the unit of work the consumer handed in").isSameAs(WORK);
    }

    /** An empty store: every outcome is new. */
    private final class JournalledStore implements NotificationStore {

        @Override
        public Uni<Boolean> insertIfAbsent(UnitOfWork work, Notification notification) {
            requireHanded(work);
            journal.add("record " + notification.orderId() + " " + notification.outcome());
            return Uni.createFrom().item(true);
        }

        @Override
        public Uni<List<Notification>> findByOrder(UUID orderId) {
            throw new AssertionError("notifying reads no notifications");
        }
    }

    private final class JournalledMailer implements Mailer {

        @Override
        public Uni<Void> send(Notification notification) {
            journal.add("email " + notification.recipient());
            return Uni.createFrom().voidItem();
        }
    }

    private final class JournalledEvents implements NotificationEvents {

        @Override
        public Uni<Void> customerNotified(UnitOfWork work, Notification notification, Cause cause) {
            requireHanded(work);
            journal.add("CustomerNotified " + notification.orderId() + " in " + cause.correlationId()
                    + " caused by " + cause.messageId());
            return Uni.createFrom().voidItem();
        }
    }
}
