package io.shopflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends malformed requests to every operation of a running service, as its OpenAPI document
 * ({@code /q/openapi}) lists them, so that a new endpoint is fuzzed without a change here: random bytes, wrong
 * types, huge and negative numbers, deep nesting, truncated JSON and wrong JSON roots as bodies; wrong and
 * missing {@code Content-Type}, {@code Accept} and {@code Idempotency-Key}, an 8 KiB header; odd path and query
 * values (empty, NUL, non-ASCII, injection strings, numbers out of range); and tokens that are missing,
 * malformed, expired, signed by another key, from another issuer or unsigned, beside valid ones for a customer
 * and an operator.
 *
 * <p>Every request is wrong in at least one way a service must refuse: a request with a valid token that can
 * write (any method but GET) carries a broken body or a value out of its rules, so a service that writes
 * anything has accepted a malformed request. {@link Report#assertClean()} fails on any 5xx, any 4xx that is not
 * an {@code application/problem+json} document with its {@code status} and a {@code title}, a 401 without a
 * {@code WWW-Authenticate} challenge, and a bad token that was not refused.
 *
 * <p>Seeded: the seed is printed, and {@code -Dshopflow.fuzz.seed=<seed>} replays the same requests. Two things are
 * left out on purpose: values past the HTTP codec's limits (a request line over 4 KiB, headers over Quarkus's
 * {@code max-header-size}), which Vert.x refuses before any application code runs; and a valid token on an
 * operation that answers a stream ({@code text/event-stream}), which would be accepted and never end.
 */
public final class HttpFuzzer {

    /** The system property that replays a run. */
    public static final String SEED_PROPERTY = "shopflow.fuzz.seed";
    /** The customer the valid customer token is for; plausible bodies and paths name them. */
    public static final String CUSTOMER = "fuzz-customer";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private static final int MAX_PATH_VALUE = 600;
    private static final int THREADS = 4;

    private final URI base;
    private final long seed;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private HttpFuzzer(URI base, long seed) {
        this.base = base;
        this.seed = seed;
    }

    /**
     * A fuzzer for the service at {@code base} (its root, e.g. {@code http://localhost:8081/}), seeded from
     * {@value #SEED_PROPERTY} or at random; the seed is printed either way.
     */
    public static HttpFuzzer against(URI base) {
        String fixed = System.getProperty(SEED_PROPERTY);
        long seed = fixed == null || fixed.isBlank() ? new SecureRandom().nextLong() : Long.parseLong(fixed.trim());
        System.out.printf("HttpFuzzer against %s, seed %d (replay with -D%s=%d)%n", base, seed, SEED_PROPERTY, seed);
        return new HttpFuzzer(base, seed);
    }

    /** The tokens a request may carry. */
    enum Token {
        NONE, MALFORMED, EXPIRED, WRONG_KEY, WRONG_ISSUER, UNSIGNED, CUSTOMER, OPS;

        boolean valid() {
            return this == CUSTOMER || this == OPS;
        }
    }

    /** One operation of the OpenAPI document. */
    record Operation(String method, String path, List<Parameter> parameters, JsonNode body, boolean streams) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A path, query or header parameter. */
    record Parameter(String name, String in, String type) {
    }

    /** A request as sent, kept to describe a failure. */
    record Sent(Operation operation, String method, URI uri, Token token, Map<String, String> headers, byte[] body) {

        String describe() {
            String shownBody = body == null ? "(none)" : excerpt(new String(body, StandardCharsets.UTF_8));
            Map<String, String> shownHeaders = new TreeMap<>();
            headers.forEach((name, value) -> shownHeaders.put(name, excerpt(value)));
            return method + " " + excerpt(uri.toString()) + " [" + operation + "] token=" + token + " headers="
                    + shownHeaders + " body=" + shownBody;
        }
    }

    /** What came back, and what was wrong with it. */
    public record Outcome(Sent request, int status, String contentType, String body, String fault) {
    }

    /** The run's answers: counts by status, and every fault. */
    public record Report(long seed, int requests, Map<Integer, Integer> statuses, List<Outcome> faults,
                         List<String> operations) {

        /** Fails with the seed and the first faults, unless there were none. */
        public void assertClean() {
            if (faults.isEmpty()) {
                return;
            }
            StringBuilder message = new StringBuilder(faults.size() + " of " + requests
                    + " malformed requests were answered wrongly (seed " + seed + ", replay with -D" + SEED_PROPERTY
                    + "=" + seed + "):");
            faults.stream().limit(15).forEach(f -> message.append("\n- ").append(f.fault()).append(": ")
                    .append(f.request().describe()).append("\n  -> ").append(f.status()).append(' ')
                    .append(f.contentType()).append(' ').append(excerpt(f.body())));
            throw new AssertionError(message.toString());
        }
    }

    /** Sends {@code requests} malformed requests, spread evenly over the operations, and reports the answers. */
    public Report run(int requests) throws IOException, InterruptedException {
        List<Operation> operations = operations();
        if (operations.isEmpty()) {
            throw new IllegalStateException("The OpenAPI document of " + base + " lists no operation");
        }
        Random random = new Random(seed);
        Map<Token, String> authorizations = authorizations();
        List<Sent> planned = new ArrayList<>(requests);
        for (int i = 0; i < requests; i++) {
            planned.add(request(random, operations.get(i % operations.size()), authorizations));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<Outcome> faults = new ArrayList<>();
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<List<Outcome>>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    List<Outcome> outcomes = new ArrayList<>();
                    for (int i = next.getAndIncrement(); i < planned.size(); i = next.getAndIncrement()) {
                        outcomes.add(send(planned.get(i)));
                    }
                    return outcomes;
                }));
            }
            for (Future<List<Outcome>> worker : workers) {
                for (Outcome outcome : worker.get()) {
                    statuses.merge(outcome.status(), 1, Integer::sum);
                    if (outcome.fault() != null) {
                        faults.add(outcome);
                    }
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("A fuzzing worker failed", e.getCause());
        }
        System.out.printf("HttpFuzzer: %d requests to %d operations of %s %s, answers by status %s, %d faults%n",
                requests, operations.size(), base, operations, statuses, faults.size());
        return new Report(seed, requests, statuses, faults, operations.stream().map(Operation::toString).toList());
    }

    /** The operations of the service's OpenAPI document. */
    List<Operation> operations() throws IOException, InterruptedException {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(base.resolve("/q/openapi?format=json"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("No OpenAPI document at " + base + ": " + answer.statusCode());
        }
        JsonNode document = JSON.readTree(answer.body());
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method.toLowerCase(Locale.ROOT));
                if (operation == null) {
                    continue;
                }
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode declared : List.of(path.getValue().path("parameters"), operation.path("parameters"))) {
                    declared.forEach(p -> parameters.add(new Parameter(p.path("name").asText(),
                            p.path("in").asText(), type(document, p.path("schema")))));
                }
                JsonNode body = null;
                Iterator<JsonNode> contents = operation.path("requestBody").path("content").elements();
                if (contents.hasNext()) {
                    body = resolve(document, contents.next().path("schema"));
                }
                boolean streams = operation.path("responses").toString().contains("text/event-stream");
                operations.add(new Operation(method, path.getKey(), parameters, body, streams));
            }
        }
        return operations;
    }

    private Map<Token, String> authorizations() {
        Map<Token, String> tokens = new TreeMap<>();
        tokens.put(Token.EXPIRED, "Bearer " + BadTokens.expired(CUSTOMER));
        tokens.put(Token.WRONG_KEY, "Bearer " + BadTokens.wrongKey(CUSTOMER));
        tokens.put(Token.WRONG_ISSUER, "Bearer " + BadTokens.wrongIssuer(CUSTOMER));
        tokens.put(Token.UNSIGNED, "Bearer " + BadTokens.unsigned(CUSTOMER));
        tokens.put(Token.CUSTOMER, "Bearer " + TestTokens.customer(CUSTOMER));
        tokens.put(Token.OPS, "Bearer " + TestTokens.ops());
        return tokens;
    }

    private Sent request(Random random, Operation operation, Map<Token, String> authorizations) {
        Token token = token(random);
        if (operation.streams() && token.valid()) {
            token = Token.EXPIRED;
        }
        String method = random.nextInt(25) == 0 ? pick(random, METHODS) : operation.method();
        boolean mayWrite = token.valid() && !"GET".equals(method);

        StringBuilder path = new StringBuilder();
        for (String segment : operation.path().split("(?=\\{)|(?<=})")) {
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                String type = operation.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                        .map(Parameter::type).orElse("string");
                String value = random.nextBoolean() ? plausible(random, name, type) : odd(random);
                path.append(encode(value.length() > MAX_PATH_VALUE ? value.substring(0, MAX_PATH_VALUE) : value,
                        true));
            } else {
                path.append(segment);
            }
        }
        StringBuilder query = new StringBuilder();
        Map<String, String> headers = new TreeMap<>();
        for (Parameter parameter : operation.parameters()) {
            int choice = random.nextInt(3);
            if (choice == 0) {
                continue;
            }
            String value = choice == 1 ? plausible(random, parameter.name(), parameter.type()) : odd(random);
            if ("query".equals(parameter.in())) {
                query.append(query.isEmpty() ? "?" : "&").append(encode(parameter.name(), false)).append('=')
                        .append(encode(value.length() > MAX_PATH_VALUE ? value.substring(0, MAX_PATH_VALUE) : value,
                                false));
            } else if ("header".equals(parameter.in())) {
                headers.put(parameter.name(), ascii(value));
            }
        }
        if (random.nextInt(8) == 0) {
            query.append(query.isEmpty() ? "?" : "&").append(encode(odd(random), false)).append('=')
                    .append(encode(odd(random), false));
        }
        if (token == Token.MALFORMED) {
            headers.put("Authorization", pick(random, BadTokens.malformedAuthorizations()));
        } else if (token != Token.NONE) {
            headers.put("Authorization", authorizations.get(token));
        }
        byte[] body = null;
        if (operation.body() != null || random.nextInt(10) == 0) {
            body = body(random, operation.body());
            headers.put("Content-Type", random.nextInt(3) > 0 ? "application/json" : pick(random, List.of(
                    "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                    "application/json; charset=utf-999", "application/problem+json", "*/*", "json", ";;",
                    "application/json, text/plain")));
        } else if (random.nextInt(10) == 0) {
            headers.put("Content-Type", pick(random, List.of("application/json", "text/plain", "garbage")));
        }
        if (random.nextInt(6) == 0) {
            headers.put("Accept", pick(random, List.of("application/xml", "text/html", "*/*", "application/json",
                    "text/event-stream", "image/png", "nonsense")));
        }
        if (random.nextInt(20) == 0) {
            headers.put("X-Fuzz-Padding", "x".repeat(8 * 1024));
        }
        if (random.nextInt(10) == 0 && !headers.containsKey("Idempotency-Key")) {
            headers.put("Idempotency-Key", pick(random, List.of("", " ", "k".repeat(300), "\t", "%00", "null")));
        }
        if (mayWrite && body == null) {
            // Nothing else in this request is certainly wrong: a broken body makes it so.
            body = body(random, operation.body());
            headers.put("Content-Type", "application/json");
        }
        return new Sent(operation, method, base.resolve(path + query.toString()), token, headers, body);
    }

    private Outcome send(Sent sent) {
        HttpRequest.Builder request = HttpRequest.newBuilder(sent.uri()).timeout(Duration.ofSeconds(10))
                .method(sent.method(), sent.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(sent.body()));
        sent.headers().forEach(request::header);
        try {
            HttpResponse<InputStream> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String contentType = answer.headers().firstValue("Content-Type").orElse("");
            String body;
            try (InputStream in = answer.body()) {
                // A success may be a stream that never ends: its body is not read.
                body = answer.statusCode() >= 400 ? new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8) : "";
            }
            return new Outcome(sent, answer.statusCode(), contentType, body, fault(sent, answer, contentType, body));
        } catch (IOException e) {
            return new Outcome(sent, -1, "", e.toString(), "no answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String fault(Sent sent, HttpResponse<?> answer, String contentType, String body) {
        int status = answer.statusCode();
        if (status >= 500) {
            return "server error";
        }
        if (!sent.token().valid() && status < 400) {
            return "a bad token (" + sent.token() + ") was not refused";
        }
        if (status < 400) {
            return null;
        }
        if (!contentType.startsWith("application/problem+json")) {
            return "a " + status + " that is not application/problem+json";
        }
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem == null || !problem.isObject() || problem.path("status").asInt() != status
                    || !problem.path("title").isTextual()) {
                return "a problem document without its status and title";
            }
        } catch (IOException e) {
            return "a problem document that does not parse";
        }
        if (status == 401 && answer.headers().firstValue("WWW-Authenticate").isEmpty()) {
            return "a 401 without a WWW-Authenticate challenge";
        }
        return null;
    }

    private static Token token(Random random) {
        int roll = random.nextInt(16);
        if (roll < 5) {
            return Token.OPS;
        }
        if (roll < 9) {
            return Token.CUSTOMER;
        }
        return Token.values()[random.nextInt(6)];
    }

    /** A body that no rule accepts: not JSON, nested too deeply, cut short, of the wrong root, or with a wrong value. */
    private static byte[] body(Random random, JsonNode schema) {
        int kind = random.nextInt(9);
        String text = switch (kind) {
            case 0 -> {
                byte[] bytes = new byte[random.nextInt(512) + 1];
                random.nextBytes(bytes);
                bytes[0] = '#';
                yield new String(bytes, StandardCharsets.ISO_8859_1);
            }
            case 1 -> deep(random);
            case 2 -> {
                String whole = plausibleJson(random, schema).toString();
                yield whole.length() < 2 ? "{" : whole.substring(0, 1 + random.nextInt(whole.length() - 1));
            }
            case 3 -> pick(random, List.of("[]", "\"x\"", "42", "null", "true", "[{}]", "{\"\":{}}", "1e999",
                    "\"\\u0000\""));
            case 4 -> "";
            default -> mutated(random, schema).toString();
        };
        return text.getBytes(kind == 0 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    private static String deep(Random random) {
        int depth = 1500 + random.nextInt(2000);
        return random.nextBoolean() ? "[".repeat(depth) + "]".repeat(depth)
                : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** The schema's shape with plausible values, then at least one value made wrong. */
    private static JsonNode mutated(Random random, JsonNode schema) {
        JsonNode shape = plausibleJson(random, schema);
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(shape, objects);
        if (objects.isEmpty()) {
            return JsonNodeFactory.instance.objectNode().set("unexpected", wrongValue(random, shape));
        }
        boolean changed = false;
        for (ObjectNode object : objects) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (random.nextInt(3) == 0) {
                    object.set(name, wrongValue(random, object.get(name)));
                    changed = true;
                }
            }
        }
        if (!changed) {
            ObjectNode object = objects.get(random.nextInt(objects.size()));
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            if (names.isEmpty()) {
                object.put("unexpected", "x");
                return JsonNodeFactory.instance.arrayNode().add(object);
            }
            String name = pick(random, names);
            object.set(name, wrongValue(random, object.get(name)));
        }
        return shape;
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> into) {
        if (node instanceof ObjectNode object) {
            into.add(object);
        }
        node.elements().forEachRemaining(child -> collectObjects(child, into));
    }

    /** A value no rule accepts where {@code right} stands: the wrong type, out of range, or past a length. */
    private static JsonNode wrongValue(Random random, JsonNode right) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (right.isNumber()) {
            return switch (random.nextInt(6)) {
                case 0 -> nodes.numberNode(new java.math.BigInteger("9".repeat(20 + random.nextInt(30))));
                case 1 -> nodes.numberNode(-1L - random.nextInt(1_000_000));
                case 2 -> nodes.numberNode(new java.math.BigDecimal("1e" + (300 + random.nextInt(700))));
                case 3 -> nodes.textNode("many");
                case 4 -> nodes.objectNode().put("value", 1);
                default -> nodes.numberNode(Long.MAX_VALUE);
            };
        }
        if (right.isTextual()) {
            return switch (random.nextInt(5)) {
                case 0 -> nodes.objectNode();
                case 1 -> nodes.arrayNode().add("x");
                case 2 -> nodes.textNode("a\u0000b");
                case 3 -> nodes.textNode("x".repeat(5_000 + random.nextInt(5_000)));
                default -> nodes.textNode("");
            };
        }
        if (right.isArray()) {
            return switch (random.nextInt(4)) {
                case 0 -> nodes.textNode("x");
                case 1 -> nodes.numberNode(7);
                case 2 -> nodes.arrayNode();
                default -> {
                    ArrayNode many = nodes.arrayNode();
                    for (int i = 0; i < 500 + random.nextInt(1000); i++) {
                        many.add(right.isEmpty() ? nodes.nullNode() : right.get(0).deepCopy());
                    }
                    yield many;
                }
            };
        }
        return switch (random.nextInt(3)) {
            case 0 -> nodes.textNode("x");
            case 1 -> nodes.arrayNode().add(1);
            default -> nodes.nullNode();
        };
    }

    /** A value of the schema's shape that would pass (as far as the schema tells). */
    private static JsonNode plausibleJson(Random random, JsonNode schema) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (schema == null || schema.isMissingNode()) {
            return nodes.objectNode().put("value", 1);
        }
        String type = firstType(schema);
        if ("object".equals(type) || schema.has("properties")) {
            ObjectNode object = nodes.objectNode();
            schema.path("properties").fields().forEachRemaining(p -> object.set(p.getKey(),
                    plausibleJson(random, p.getValue())));
            return object;
        }
        return switch (type) {
            case "array" -> nodes.arrayNode().add(plausibleJson(random, schema.path("items")));
            case "integer", "number" -> nodes.numberNode(1 + random.nextInt(3));
            case "boolean" -> nodes.booleanNode(true);
            default -> nodes.textNode("uuid".equals(schema.path("format").asText()) ? UUID.randomUUID().toString()
                    : CUSTOMER);
        };
    }

    /** A value that fits the parameter's name and type. */
    private static String plausible(Random random, String name, String type) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("customerid")) {
            return CUSTOMER;
        }
        if (lower.endsWith("id") || "uuid".equals(type)) {
            return UUID.randomUUID().toString();
        }
        if ("integer".equals(type) || "number".equals(type)) {
            return Integer.toString(random.nextInt(5));
        }
        if (lower.equals("sku")) {
            return "SKU-FUZZ-" + random.nextInt(100);
        }
        return "fuzz-" + random.nextInt(100);
    }

    /** A path or query value no rule should accept (and none should crash on). */
    private static String odd(Random random) {
        return switch (random.nextInt(18)) {
            case 0 -> "";
            case 1 -> " ";
            case 2 -> "\u0000";
            case 3 -> "a\u0000b";
            case 4 -> "99999999999999999999999";
            case 5 -> "-1";
            case 6 -> "1e400";
            case 7 -> "../../etc/passwd";
            case 8 -> "' OR '1'='1";
            case 9 -> "<script>alert(1)</script>";
            case 10 -> "${jndi:ldap://127.0.0.1/x}";
            case 11 -> "\u00fc\u00df\u4e2d\ud834\udd1e";
            case 12 -> "x".repeat(200 + random.nextInt(400));
            case 13 -> "%";
            case 14 -> "NaN";
            case 15 -> UUID.randomUUID().toString().toUpperCase(Locale.ROOT) + "-extra";
            case 16 -> "/";
            default -> {
                StringBuilder noise = new StringBuilder();
                for (int i = 0; i < 1 + random.nextInt(40); i++) {
                    noise.appendCodePoint(1 + random.nextInt(0x2FF));
                }
                yield noise.toString();
            }
        };
    }

    /** A header value HTTP can carry: printable ASCII, the rest replaced. */
    private static String ascii(String value) {
        StringBuilder printable = new StringBuilder();
        value.chars().forEach(c -> printable.append(c >= 0x20 && c < 0x7F ? (char) c : '?'));
        return printable.toString();
    }

    private static String encode(String value, boolean pathSegment) {
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        return pathSegment ? encoded.replace("+", "%20") : encoded;
    }

    private static String type(JsonNode document, JsonNode schema) {
        JsonNode resolved = resolve(document, schema);
        String type = firstType(resolved);
        return "string".equals(type) && "uuid".equals(resolved.path("format").asText()) ? "uuid" : type;
    }

    /** Follows {@code $ref}s into {@code components}, also inside properties and items. */
    private static JsonNode resolve(JsonNode document, JsonNode schema) {
        if (schema == null || schema.isMissingNode()) {
            return schema;
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
            return resolve(document, document.path("components").path("schemas").path(name));
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        if (schema.has("properties")) {
            ObjectNode properties = JsonNodeFactory.instance.objectNode();
            schema.get("properties").fields().forEachRemaining(p -> properties.set(p.getKey(),
                    resolve(document, p.getValue())));
            copy.set("properties", properties);
        }
        if (schema.has("items")) {
            copy.set("items", resolve(document, schema.get("items")));
        }
        return copy;
    }

    private static String firstType(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) {
            for (JsonNode each : type) {
                if (!"null".equals(each.asText())) {
                    return each.asText();
                }
            }
        }
        return type.isTextual() ? type.asText() : "string";
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    private static String excerpt(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...(" + flat.length() + " chars)";
    }

    /** Row counts of every table of {@code database} (its own and the outbox and inbox), by table name. */
    public static Map<String, Long> rowCounts(String database) {
        Map<String, Long> counts = new TreeMap<>();
        try (var connection = PostgresServer.shared().connect(database); var statement = connection.createStatement();
             var tables = statement.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                     + "AND tablename <> 'flyway_schema_history' ORDER BY tablename")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            for (String table : names) {
                try (var count = connection.createStatement().executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    count.next();
                    counts.put(table, count.getLong(1));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Cannot count the rows of " + database, e);
        }
        return counts;
    }
}
