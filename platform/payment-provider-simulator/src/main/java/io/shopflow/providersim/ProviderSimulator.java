package io.shopflow.providersim;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for the external payment provider, as its own small process (JDK HTTP server, no
 * framework, starts in milliseconds).
 *
 * <ul>
 *   <li>{@code POST /authorizations} {@code {"orderId","customerId","amountCents"}} -> 201
 *   {@code {"authorizationId","status":"AUTHORIZED"}}; idempotent per order id (a repeat
 *   returns the first authorization with 200).</li>
 *   <li>{@code POST /authorizations/{id}/void} -> 200 {@code {"status":"VOIDED"}}; idempotent.</li>
 *   <li>{@code GET|PUT /admin/behaviour} {@code {"latencyMillis","errorRate","outage"}}: switch
 *   latency, error rate (503s) and outage at run time, for the drills.</li>
 *   <li>{@code GET /admin/stats}: counts of requests, failures, authorizations, voids.</li>
 *   <li>{@code POST /admin/forget}: forgets every authorization, as the simulator's own restart
 *   does (its state lives in memory); later voids of them answer 404.</li>
 * </ul>
 *
 * <p>Everything under {@code /admin} needs {@code Authorization: Bearer <admin token>}: whoever
 * reaches the simulator could otherwise turn the provider off. Without it, or with another token,
 * the answer is a 401 problem document.
 */
public final class ProviderSimulator implements AutoCloseable {

    private final HttpServer server;
    private final byte[] adminAuthorization;
    private final AtomicReference<Behaviour> behaviour = new AtomicReference<>(Behaviour.HEALTHY);
    private final Map<String, String> authorizationByOrder = new ConcurrentHashMap<>();
    private final Map<String, String> statusByAuthorization = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong voids = new AtomicLong();
    private final Random random;

    private ProviderSimulator(String host, int port, long seed, String adminToken) throws IOException {
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("an admin token is required: /admin would be open to everyone");
        }
        this.adminAuthorization = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
        this.random = new Random(seed);
        // Without TCP_NODELAY, every request after the first on a kept-alive connection waited
        // 40 ms for the client's delayed ACK (Nagle): 32 ms of the 51 ms payment-service spent per
        // AuthorizePayment on the local stack. Read once, when the JDK's server first starts.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress(host, port), 128);
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.createContext("/authorizations", this::authorizations);
        server.createContext("/admin/behaviour", admin(this::behaviour));
        server.createContext("/admin/stats", admin(this::stats));
        server.createContext("/admin/forget", admin(this::forget));
        // Any other /admin path: 401 before the 404, so that it tells nothing to an unauthenticated caller.
        server.createContext("/admin", admin(exchange -> respond(exchange, 404, "{\"error\":\"not found\"}")));
        server.createContext("/health", exchange -> respond(exchange, 200, "{\"status\":\"UP\"}"));
    }

    /**
     * Starts on loopback, {@code port} (0 for a free one); {@code seed} makes the error pattern repeatable;
     * {@code /admin} answers only requests with {@code Authorization: Bearer <adminToken>}.
     */
    public static ProviderSimulator start(int port, long seed, String adminToken) throws IOException {
        return start("localhost", port, seed, adminToken);
    }

    /** Starts on {@code host} ({@code 0.0.0.0} in a container, so that other containers reach it). */
    public static ProviderSimulator start(String host, int port, long seed, String adminToken) throws IOException {
        ProviderSimulator simulator = new ProviderSimulator(host, port, seed, adminToken);
        simulator.server.start();
        return simulator;
    }

    /**
     * Environment: {@code PROVIDER_ADMIN_TOKEN} (required, no default), {@code PROVIDER_HOST} (default
     * localhost), {@code PROVIDER_PORT} (8099), {@code PROVIDER_SEED} (42).
     */
    public static void main(String[] args) throws IOException {
        String adminToken = System.getenv("PROVIDER_ADMIN_TOKEN");
        if (adminToken == null || adminToken.isBlank()) {
            System.err.println("PROVIDER_ADMIN_TOKEN is not set: the token that /admin requires");
            System.exit(2);
        }
        String host = System.getenv().getOrDefault("PROVIDER_HOST", "localhost");
        int port = Integer.parseInt(System.getenv().getOrDefault("PROVIDER_PORT", "8099"));
        ProviderSimulator simulator = start(host, port,
                Long.parseLong(System.getenv().getOrDefault("PROVIDER_SEED", "42")), adminToken);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "provider-stop"));
        System.out.println("Payment provider simulator on http://" + host + ":" + simulator.port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void authorizations(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        Behaviour current = behaviour.get();
        sleep(current.latencyMillis());
        if (current.outage() || failsNow(current)) {
            failures.incrementAndGet();
            respond(exchange, 503, "{\"error\":\"provider unavailable\"}");
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"POST only\"}");
        } else if (path.equals("/authorizations")) {
            authorize(exchange);
        } else if (path.matches("/authorizations/[^/]+/void")) {
            String id = path.split("/")[2];
            if (statusByAuthorization.replace(id, "VOIDED") == null) {
                respond(exchange, 404, "{\"error\":\"unknown authorization\"}");
            } else {
                voids.incrementAndGet();
                respond(exchange, 200, "{\"authorizationId\":\"" + id + "\",\"status\":\"VOIDED\"}");
            }
        } else {
            respond(exchange, 404, "{\"error\":\"not found\"}");
        }
    }

    private void authorize(HttpExchange exchange) throws IOException {
        String body = read(exchange.getRequestBody());
        String orderId = Json.string(body, "orderId").orElse(null);
        long amount = Json.scalar(body, "amountCents").map(Long::parseLong).orElse(-1L);
        if (orderId == null || amount < 0) {
            respond(exchange, 400, "{\"error\":\"orderId and amountCents >= 0 are required\"}");
            return;
        }
        String fresh = UUID.randomUUID().toString();
        String id = authorizationByOrder.computeIfAbsent(orderId, k -> fresh);
        statusByAuthorization.putIfAbsent(id, "AUTHORIZED");
        respond(exchange, id.equals(fresh) ? 201 : 200,
                "{\"authorizationId\":\"" + id + "\",\"status\":\"" + statusByAuthorization.get(id) + "\"}");
    }

    private void behaviour(HttpExchange exchange) throws IOException {
        if ("PUT".equals(exchange.getRequestMethod())) {
            String body = read(exchange.getRequestBody());
            Behaviour old = behaviour.get();
            try {
                behaviour.set(new Behaviour(
                        Json.scalar(body, "latencyMillis").map(Long::parseLong).orElse(old.latencyMillis()),
                        Json.scalar(body, "errorRate").map(Double::parseDouble).orElse(old.errorRate()),
                        Json.scalar(body, "outage").map(Boolean::parseBoolean).orElse(old.outage())));
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, "{\"error\":\"" + e.getMessage() + "\"}");
                return;
            }
        }
        respond(exchange, 200, behaviour.get().toJson());
    }

    private void stats(HttpExchange exchange) throws IOException {
        respond(exchange, 200, "{\"requests\":" + requests.get() + ",\"failures\":" + failures.get()
                + ",\"authorizations\":" + authorizationByOrder.size() + ",\"voids\":" + voids.get() + "}");
    }

    private void forget(HttpExchange exchange) throws IOException {
        if (!"POST".equals(exchange.getRequestMethod())) {
            respond(exchange, 405, "{\"error\":\"POST only\"}");
            return;
        }
        int forgotten = statusByAuthorization.size();
        authorizationByOrder.clear();
        statusByAuthorization.clear();
        respond(exchange, 200, "{\"forgotten\":" + forgotten + "}");
    }

    /** {@code handler} for callers with the admin token; a 401 problem document for the others. */
    private HttpHandler admin(HttpHandler handler) {
        return exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            // Constant time: the comparison does not tell how much of a guess was right.
            if (authorization != null
                    && MessageDigest.isEqual(adminAuthorization, authorization.getBytes(StandardCharsets.UTF_8))) {
                handler.handle(exchange);
                return;
            }
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"provider-simulator-admin\"");
            respond(exchange, 401, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\"Unauthorized\","
                    + "\"status\":401,\"detail\":\"" + (authorization == null ? "/admin needs Authorization: Bearer "
                    + "<PROVIDER_ADMIN_TOKEN>" : "the admin token is not this simulator's") + "\"}");
        };
    }

    private synchronized boolean failsNow(Behaviour current) {
        return current.errorRate() > 0 && random.nextDouble() < current.errorRate();
    }

    private static void sleep(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        respond(exchange, status, "application/json", json);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
