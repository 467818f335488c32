package io.shopflow.order.application;

import java.util.UUID;

/** No such order (for this caller). Answered with 404. */
public class OrderNotFoundException extends RuntimeException {

    public OrderNotFoundException(UUID id) {
        super("No order " + id);
    }
}
