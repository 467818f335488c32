package io.shopflow.order.adapter.rest;

import java.io.IOException;

/**
 * The request body is larger than {@code shopflow.orders.max-body-bytes}. An {@link IOException},
 * because it is thrown from the body stream: Jackson passes those on unwrapped, so the mapper
 * sees this type and not a parse error.
 */
class BodyTooLargeException extends IOException {

    private final long limit;

    BodyTooLargeException(long limit) {
        super("The body is larger than " + limit + " bytes");
        this.limit = limit;
    }

    long limit() {
        return limit;
    }
}
