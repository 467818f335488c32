package io.shopflow.localstack.operations;

import io.shopflow.localstack.launcher.OpsClient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.regex.Matcher;

/**
 * New orders at a fixed rate (open model: a request is sent on schedule whether or not earlier
 * ones were answered), each of one unit of one of {@value #SKUS} fresh SKUs, by one of the load's
 * own customers; remembers which orders were accepted and why others were refused, and counts
 * per second what it offered and how each request was answered ({@link #perSecond()}). The rate
 * can change while it runs ({@link #changeRate}): an overload phase, then normal load again.
 *
 * <p>It stays cheap at a few hundred requests per second: one scheduler thread only builds and
 * hands requests to the asynchronous HTTP client, which needs no thread per request in flight,
 * so a slow or refused request holds no thread (against a stub server on the 2-core development
 * machine: 400 requests/s on schedule, none failed, for about 30 % of one core).
 */
final class OrderLoad {

    /** Index of each count in the arrays of {@link #perSecond()}. */
    static final int OFFERED = 0;
    static final int ACCEPTED = 1;
    /** Answered 503, what a client retries: refused by admission control, or the database away for the moment. */
    static final int OVERLOADED = 2;
    /** Any other answer, or none (a timeout, a connection refused while order-service restarts). */
    static final int FAILED = 3;

    private static final int SKUS = 5;
    private static final int STOCK = 1_000_000;
    /** The credit payment-service gives a customer it has not seen (CreditAccount.DEFAULT_LIMIT_CENTS). */
    private static final long CREDIT_CENTS = 100_000;

    private final OpsClient ops;
    private volatile double rate;
    private final Map<String, Integer> stock = new LinkedHashMap<>();
    private final Map<String, String> customerTokens = new LinkedHashMap<>();
    private final List<String> customers;
    private final List<String> skus;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ConcurrentLinkedQueue<String> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    private final Map<Long, AtomicIntegerArray> perSecond = new ConcurrentHashMap<>();
    private ScheduledFuture<?> pacing;

    /** Gives {@code prefix}'s SKUs their stock and mints its customers' tokens. */
    OrderLoad(OpsClient ops, String prefix, double rate, int customers) throws Exception {
        this.ops = ops;
        this.rate = rate;
        for (int i = 0; i < SKUS; i++) {
            String sku = prefix.toUpperCase(java.util.Locale.ROOT) + "-" + i;
            ops.stock(sku, STOCK, priceCents(i));
            stock.put(sku, STOCK);
        }
        for (int i = 0; i < customers; i++) {
            String customer = prefix + "-" + i;
            customerTokens.put(customer, ops.customerToken(customer));
        }
        this.customers = List.copyOf(customerTokens.keySet());
        this.skus = List.copyOf(stock.keySet());
    }

    /**
     * Customers for {@code orders} orders, so many that each one's share, even all at the highest price, is within
     * its credit: no order of the load is rejected for credit (at the average price, 3.00, a share uses 60 % of
     * the credit, room enough for the unevenness of picking a customer at random for each order).
     */
    static int customersFor(long orders) {
        long cents = orders * priceCents(SKUS - 1);
        return (int) Math.max(1, (cents + CREDIT_CENTS - 1) / CREDIT_CENTS);
    }

    /** One unit of the load's {@code sku}-th SKU: 1.00 to 5.00. */
    private static int priceCents(int sku) {
        return 100 * (sku + 1);
    }

    synchronized void start() {
        pacing = scheduler.scheduleAtFixedRate(this::placeOne, 0, (long) (1_000_000 / rate), TimeUnit.MICROSECONDS);
    }

    /** From now on offers {@code ordersPerSecond}; the first request at the new rate leaves at once. */
    synchronized void changeRate(double ordersPerSecond) {
        pacing.cancel(false);
        rate = ordersPerSecond;
        start();
    }

    /** The rate offered now, orders/s. */
    double rate() {
        return rate;
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

    /**
     * Per epoch second in which requests were sent: {@link #OFFERED}, {@link #ACCEPTED},
     * {@link #OVERLOADED} and {@link #FAILED} of the requests sent in that second, however late
     * their answer came.
     */
    Map<Long, int[]> perSecond() {
        Map<Long, int[]> copy = new TreeMap<>();
        perSecond.forEach((second, counts) -> copy.put(second,
                new int[] {counts.get(OFFERED), counts.get(ACCEPTED), counts.get(OVERLOADED), counts.get(FAILED)}));
        return copy;
    }

    private void placeOne() {
        AtomicIntegerArray counts = perSecond.computeIfAbsent(System.currentTimeMillis() / 1000,
                second -> new AtomicIntegerArray(4));
        counts.incrementAndGet(OFFERED);
        String customer = customers.get(ThreadLocalRandom.current().nextInt(customers.size()));
        String sku = skus.get(ThreadLocalRandom.current().nextInt(skus.size()));
        HttpRequest request = ops.orderRequest(customerTokens.get(customer), customer, sku)
                .timeout(Duration.ofSeconds(10)).build();
        ops.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            Matcher m = response == null ? null : OpsClient.ORDER_ID.matcher(response.body());
            if (response != null && response.statusCode() == 202 && m.find()) {
                accepted.add(m.group(1));
                counts.incrementAndGet(ACCEPTED);
            } else {
                counts.incrementAndGet(response != null && response.statusCode() == 503 ? OVERLOADED : FAILED);
                refused.incrementAndGet();
                String reason = response != null ? "HTTP " + response.statusCode()
                        : (error.getCause() != null ? error.getCause() : error).getClass().getSimpleName();
                refusals.computeIfAbsent(reason, k -> new AtomicInteger()).incrementAndGet();
            }
        });
    }
}
