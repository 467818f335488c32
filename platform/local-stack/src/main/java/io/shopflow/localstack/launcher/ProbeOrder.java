package io.shopflow.localstack.launcher;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;

/**
 * One order placed and followed until it is final, by a customer and of a SKU of its own: footprint's first order,
 * and the work that trains the AOT caches beyond start-up.
 */
public final class ProbeOrder {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int OVERLOADED_RETRIES = 5;

    /** Placed -> final by order-service's timestamps, and from the (accepted) POST to final as seen here. */
    public record Result(Duration placedToFinal, Duration postToFinal) {
    }

    private ProbeOrder() {
    }

    /** Places the order of {@code name} (a customer {@code <name>} buys one unit of SKU {@code <NAME>}). */
    public static Result place(StackLayout layout, OpsClient ops, String name) throws Exception {
        String sku = name.toUpperCase(Locale.ROOT);
        ops.stock(sku, 10, 100);
        HttpRequest request = ops.orderRequest(ops.customerToken(name), name, sku).build();
        long posted = System.nanoTime();
        HttpResponse<String> response = ops.http().send(request, HttpResponse.BodyHandlers.ofString());
        // Refused by admission control (a stack just started estimates its capacity low): as a client should,
        // the same request with the same key after the Retry-After it names.
        for (int retry = 0; response.statusCode() == 503 && retry < OVERLOADED_RETRIES; retry++) {
            Thread.sleep(1000L * response.headers().firstValueAsLong("Retry-After").orElse(1));
            posted = System.nanoTime();
            response = ops.http().send(request, HttpResponse.BodyHandlers.ofString());
        }
        Matcher id = OpsClient.ORDER_ID.matcher(response.body());
        if (response.statusCode() != 202 || !id.find()) {
            throw new IllegalStateException("order " + name + " was not accepted: " + response.statusCode() + " "
                    + response.body());
        }
        OrderRecords records = new OrderRecords(layout);
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            OrderRecords.Order order = records.byId(List.of(id.group(1))).get(id.group(1));
            if (order != null && order.finished() != null) {
                return new Result(Duration.between(order.placed(), order.finished()),
                        Duration.ofNanos(System.nanoTime() - posted));
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("order " + id.group(1) + " (" + name + ") was not final after "
                + TIMEOUT.toSeconds() + " s; see " + layout.logs());
    }
}
