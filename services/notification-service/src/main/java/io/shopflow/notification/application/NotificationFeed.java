package io.shopflow.notification.application;

import io.shopflow.notification.domain.Notification;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Notifications as this instance records them, for live subscribers (the SSE stream). A
 * notification is published only once the transaction that recorded it has committed, so a
 * subscriber never sees one that rolls back and is then sent again.
 *
 * <p>The notifications of a transaction are collected in a local of the Vert.x duplicated context
 * that runs it: the transaction's work cannot see the commit, but its caller can, and both run on
 * that one context (Hibernate Reactive requires it). Each message's transaction gets a fresh
 * context, so the collections of concurrent transactions never mix.
 */
@ApplicationScoped
public class NotificationFeed {

    private static final String RECORDED = NotificationFeed.class.getName() + ".recorded";
    /** Per subscriber; one that falls this far behind fails and its SSE client reconnects. */
    private static final int SUBSCRIBER_BUFFER = 256;

    private final BroadcastProcessor<Notification> processor = BroadcastProcessor.create();
    /** Both consumer threads (main and retry topic) publish; Reactive Streams wants their signals serialized. */
    private final SerializedProcessor<Notification, Notification> publisher = processor.serialized();

    /**
     * Runs {@code transaction} and, after it committed, publishes the notifications it recorded.
     * Must be subscribed on a Vert.x duplicated context ({@code VertxContextSupport} does that).
     */
    public Uni<Void> publishingAfterCommit(Supplier<Uni<Void>> transaction) {
        return Uni.createFrom().deferred(() -> {
            List<Notification> recorded = new ArrayList<>();
            ContextLocals.put(RECORDED, recorded);
            return transaction.get().invoke(() -> recorded.forEach(publisher::onNext));
        });
    }

    /** The notifications recorded from now on, each once its transaction committed. */
    public Multi<Notification> live() {
        return processor.onOverflow().buffer(SUBSCRIBER_BUFFER);
    }

    /**
     * Queues {@code notification} for publication when the transaction of the enclosing
     * {@link #publishingAfterCommit} commits.
     */
    public void recorded(Notification notification) {
        ContextLocals.<List<Notification>>get(RECORDED)
                .orElseThrow(() -> new IllegalStateException("notifications are recorded only inside "
                        + "NotificationFeed.publishingAfterCommit"))
                .add(notification);
    }

    /** Ends every open stream cleanly when the application stops. */
    @PreDestroy
    void close() {
        publisher.onComplete();
    }
}
