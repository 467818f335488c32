package io.shopflow.localstack;

import io.shopflow.localstack.OtlpReceiver.ReceivedSpan;
import io.shopflow.localstack.launcher.OpsClient;
import io.shopflow.localstack.launcher.StackProcess;
import io.shopflow.testing.DevTokens;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * One trace per order, across every process: the whole system runs on the local stack with
 * every service and the relay exporting spans over OTLP/HTTP to a real receiver on loopback
 * ({@link OtlpReceiver}); a handful of orders are placed and followed to their final state.
 * Each order must then have exactly one trace id, spanning all five services and the relay,
 * whose spans form one tree under the {@code POST /orders} span, with no orphan and every span
 * starting after its parent.
 */
class TracingIT {

    private static final int ORDERS = 23180;
    private static final int INVENTORY = ORDERS + 1;
    private static final Set<String> PROCESSES = Set.copyOf(StackProcess.applications());
    /** Processes share the machine's clock; OpenTelemetry SDKs anchor it per process, within a few ms. */
    private static final long CLOCK_TOLERANCE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"");

    private static final java.nio.file.Path DUMP = java.nio.file.Path.of("target/it-tracing-spans.tsv").toAbsolutePath();

    private static OtlpReceiver receiver;
    private static StackCommand stack;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        receiver = new OtlpReceiver();
        stack = new StackCommand(Map.of(
                "SHOPFLOW_LOCAL_HOME", java.nio.file.Path.of("target/it-tracing").toAbsolutePath().toString(),
                "SHOPFLOW_LOCAL_PG_PORT", "23432",
                "SHOPFLOW_LOCAL_KAFKA_PORT", "23092",
                "SHOPFLOW_LOCAL_KAFKA_CONTROLLER_PORT", "23093",
                "SHOPFLOW_LOCAL_ORDER_PORT", Integer.toString(ORDERS),
                "SHOPFLOW_LOCAL_RELAY_PORT", "23189",
                "SHOPFLOW_LOCAL_PROMETHEUS", "off",
                "SHOPFLOW_LOCAL_OTLP_ENDPOINT", receiver.endpoint()));
        StackCommand.Result up = stack.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.run("down");
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void eachOrderIsOneConnectedTraceThroughEveryServiceAndTheRelay() throws Exception {
        DevTokens tokens = stack.tokens();
        send("PUT", "http://localhost:" + INVENTORY + "/stock/TRACE-1", tokens.mint("ops-test", true, Instant.now()),
                "{\"available\":100,\"priceCents\":700}", 200);
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String body = send("POST", "http://localhost:" + ORDERS + "/orders",
                    tokens.mint("tracer", false, Instant.now()),
                    "{\"customerId\":\"tracer\",\"items\":[{\"sku\":\"TRACE-1\",\"quantity\":" + (i + 1) + "}]}", 202);
            Matcher m = OpsClient.ORDER_ID.matcher(body);
            assertThat(m.find()).as(body).isTrue();
            orders.add(m.group(1));
        }
        for (String order : orders) {
            awaitStatus(order, tokens.mint("tracer", false, Instant.now()), "APPROVED");
        }

        Map<String, List<ReceivedSpan>> traces = awaitCompleteTraces(orders);
        for (String order : orders) {
            List<ReceivedSpan> trace = traces.get(order);
            Map<String, ReceivedSpan> byId = trace.stream().collect(Collectors.toMap(ReceivedSpan::spanId, s -> s));
            assertThat(trace.stream().map(ReceivedSpan::service).collect(Collectors.toSet()))
                    .as("processes in the trace of %s", order).containsAll(PROCESSES);
            List<ReceivedSpan> roots = trace.stream().filter(ReceivedSpan::isRoot).toList();
            assertThat(roots).as("roots of %s", order).hasSize(1);
            assertThat(roots.get(0).service()).isEqualTo("order-service");
            assertThat(roots.get(0).kind()).isEqualTo("SPAN_KIND_SERVER");
            for (ReceivedSpan span : trace) {
                if (span.isRoot()) {
                    continue;
                }
                ReceivedSpan parent = byId.get(span.parentSpanId());
                assertThat(parent).as("parent of %s (%s) in the trace of %s", span.name(), span.service(), order)
                        .isNotNull();
                assertThat(span.startNanos()).as("%s starts after its parent %s", span.name(), parent.name())
                        .isGreaterThanOrEqualTo(parent.startNanos() - CLOCK_TOLERANCE_NANOS);
            }
            assertThat(trace.stream().map(ReceivedSpan::name)).as("spans of %s", order).contains(
                    "outbox append OrderPlaced", "outbox wait", "shopflow.order.events.v1 publish",
                    "shopflow.order.events.v1 process", "transaction OrderPlaced", "saga step RESERVE_STOCK",
                    "shopflow.inventory.commands.v1 process", "saga step AUTHORIZE_PAYMENT",
                    "shopflow.payment.commands.v1 process", "saga step APPROVE_ORDER",
                    "shopflow.order.commands.v1 process", "outbox append OrderApproved");
        }
        System.out.println("[tracing] the trace of order " + orders.get(0) + ", in causal order:");
        print(traces.get(orders.get(0)));
    }

    /**
     * Waits until each order's trace holds every process and has stopped growing (other traces,
     * such as the orchestrator's deadline scan every second, keep coming).
     */
    private Map<String, List<ReceivedSpan>> awaitCompleteTraces(List<String> orders) {
        AtomicInteger lastSize = new AtomicInteger(-1);
        AtomicReference<Map<String, List<ReceivedSpan>>> latest = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(3))
                    .until(() -> {
                        Map<String, List<ReceivedSpan>> traces = traces(orders, receiver.spans());
                        latest.set(traces);
                        int size = traces.values().stream().mapToInt(List::size).sum();
                        boolean complete = traces.values().stream().allMatch(trace -> trace.stream()
                                .map(ReceivedSpan::service).collect(Collectors.toSet()).containsAll(PROCESSES));
                        return complete && size == lastSize.getAndSet(size);
                    });
            return latest.get();
        } catch (ConditionTimeoutException e) {
            List<ReceivedSpan> spans = receiver.spans();
            dump(spans);
            throw new AssertionError(String.format("traces complete; received so far: %s (all in %s)",
                    summary(spans), DUMP), e);
        }
    }

    /** Each order's trace among {@code spans}; none may carry an order in more than one trace. */
    private static Map<String, List<ReceivedSpan>> traces(List<String> orders, List<ReceivedSpan> spans) {
        Map<String, List<ReceivedSpan>> traces = new HashMap<>();
        for (String order : orders) {
            Set<String> traceIds = spans.stream().filter(s -> order.equals(s.attributes().get("shopflow.order.id")))
                    .map(ReceivedSpan::traceId).collect(Collectors.toSet());
            assertThat(traceIds.size()).as("trace ids carrying order %s", order).isLessThanOrEqualTo(1);
            traces.put(order, spans.stream().filter(s -> traceIds.contains(s.traceId())).toList());
        }
        return traces;
    }

    /** Every received span, one per line, for the reader of a failure. */
    private static void dump(List<ReceivedSpan> spans) {
        try {
            java.nio.file.Files.write(DUMP, spans.stream().map(s -> String.join("\t", s.traceId(), s.spanId(),
                    s.parentSpanId(), s.service(), s.name(), s.kind(), Long.toString(s.startNanos()),
                    s.attributes().toString())).toList());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String summary(List<ReceivedSpan> spans) {
        return spans.stream().collect(Collectors.groupingBy(ReceivedSpan::service, Collectors.counting())).toString();
    }

    private static void print(List<ReceivedSpan> trace) {
        Map<String, List<ReceivedSpan>> children = new HashMap<>();
        trace.forEach(s -> children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s));
        children.values().forEach(list -> list.sort(Comparator.comparingLong(ReceivedSpan::startNanos)));
        long t0 = trace.stream().mapToLong(ReceivedSpan::startNanos).min().orElse(0);
        printTree(children, "", 0, t0);
    }

    private static void printTree(Map<String, List<ReceivedSpan>> children, String parent, int depth, long t0) {
        for (ReceivedSpan span : children.getOrDefault(parent, List.of())) {
            System.out.printf("  %+8.1f ms %s%s [%s]%n", (span.startNanos() - t0) / 1e6, "  ".repeat(depth),
                    span.name(), span.service());
            printTree(children, span.spanId(), depth + 1, t0);
        }
    }

    private void awaitStatus(String order, String token, String expected) {
        await("status of order " + order).atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    Matcher m = STATUS.matcher(send("GET", "http://localhost:" + ORDERS + "/orders/" + order, token,
                            null, 200));
                    return m.find() ? m.group(1) : "";
                }, equalTo(expected));
    }

    private String send(String method, String url, String token, String json, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + url + ": " + response.body()).isEqualTo(expected);
        return response.body();
    }
}
