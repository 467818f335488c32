package io.shopflow.localstack;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * New orders at a fixed rate (open model: a request is sent on schedule whether or not earlier
 * ones were answered), each of one unit of one of {@value #SKUS} fresh SKUs, by one of the load's
 * own customers; remembers which orders were accepted and why others were refused.
 */
final class OrderLoad {

    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final int SKUS = 5;
    private static final int STOCK = 1_000_000;

    private final StackLayout layout;
    private final OpsClient ops;
    private final double rate;
    private final Map<String, Integer> stock = new LinkedHashMap<>();
    private final Map<String, String> customerTokens = new LinkedHashMap<>();
    private final List<String> customers;
    private final List<String> skus;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();

    /** Gives {@code prefix}'s SKUs their stock and mints its customers' tokens. */
    OrderLoad(StackLayout layout, OpsClient ops, String prefix, double rate, int customers) throws Exception {
        this.layout = layout;
        this.ops = ops;
        this.rate = rate;
        for (int i = 0; i < SKUS; i++) {
            String sku = prefix.toUpperCase(java.util.Locale.ROOT) + "-" + i;
            ops.put("http://localhost:" + layout.inventoryPort() + "/stock/" + sku,
                    "{\"available\":" + STOCK + ",\"priceCents\":" + (100 * (i + 1)) + "}");
            stock.put(sku, STOCK);
        }
        for (int i = 0; i < customers; i++) {
            String customer = prefix + "-" + i;
            customerTokens.put(customer, ops.customerToken(customer));
        }
        this.customers = List.copyOf(customerTokens.keySet());
        this.skus = List.copyOf(stock.keySet());
    }

    void start() {
        long periodMicros = (long) (1_000_000 / rate);
        scheduler.scheduleAtFixedRate(this::placeOne, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Stops sending and lets requests in flight finish. */
    void stop() throws InterruptedException {
        scheduler.shutdown();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
        Thread.sleep(3000);
    }

    /** The stock each SKU was given. */
    Map<String, Integer> stock() {
        return stock;
    }

    Set<String> customers() {
        return customerTokens.keySet();
    }

    /** Ids of the orders order-service accepted (202). */
    List<String> accepted() {
        return new ArrayList<>(accepted);
    }

    int refused() {
        return refused.get();
    }

    /** Refusals by reason (HTTP status or exception). */
    String refusals() {
        return refusals.toString();
    }

    private void placeOne() {
        String customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
        String sku = skus.get(ThreadLocalRandom.current().nextInt(skus.size()));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + layout.orderServicePort()
                        + "/orders")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", customerTokens.get(customer))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"customerId\":\"" + customer
                        + "\",\"items\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}")).build();
        ops.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            Matcher m = response == null ? null : ORDER_ID.matcher(response.body());
            if (response != null && response.statusCode() == 202 && m.find()) {
                accepted.add(m.group(1));
            } else {
                refused.incrementAndGet();
                String reason = response != null ? "HTTP " + response.statusCode()
                        : (error.getCause() != null ? error.getCause() : error).getClass().getSimpleName();
                refusals.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
            }
        });
    }
}
