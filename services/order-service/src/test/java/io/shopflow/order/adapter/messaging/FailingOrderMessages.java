package io.shopflow.order.adapter.messaging;

import io.shopflow.order.domain.Order;
import io.shopflow.outbox.OutboxMessage;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fails where the placing transaction maps the order to its message, i.e. after the order row
 * was inserted and flushed; installed per test with {@code QuarkusMock}.
 */
public class FailingOrderMessages extends OrderMessages {

    public static final String FAILURE = "mapping failed after the order insert (test)";

    private final AtomicInteger failuresLeft;

    private FailingOrderMessages(int failures) {
        super(Clock.systemUTC());
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
    public OutboxMessage placed(Order order) {
        if (failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException(FAILURE);
        }
        return super.placed(order);
    }
}
