package io.shopflow.order.adapter.messaging;

import io.shopflow.order.domain.Order;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import jakarta.enterprise.inject.spi.CDI;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails where the placing transaction maps the order to its message, i.e. after the order row
 * was inserted and flushed; installed per test with {@code QuarkusMock}, appending with the
 * application's outbox writer when it does not fail.
 */
public class FailingOrderMessages extends OrderMessages {

    public static final String FAILURE = "mapping failed after the order insert (test)";

    private final AtomicInteger failuresLeft;

    private FailingOrderMessages(int failures) {
        super(CDI.current().select(OutboxWriter.class).get(), Clock.systemUTC());
        this.failuresLeft = new AtomicInteger(failures);
    }

    /** Fails every time. */
    public static FailingOrderMessages always() {
        return new FailingOrderMessages(Integer.MAX_VALUE);
    }

    /** Fails the first time, then maps as usual. */
    public static FailingOrderMessages once() {
        return new FailingOrderMessages(1);
    }

    @Override
    protected OutboxMessage orderPlaced(Order order) {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException(FAILURE);
        }
        return super.orderPlaced(order);
    }
}
