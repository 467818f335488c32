package io.shopflow.contracts.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A STUB of the Apicurio Registry v3 REST endpoints that the Avro serde calls (create artifact
 * with FIND_OR_CREATE_VERSION, content and references by content id), backed by a map. It
 * is not a registry: no rules, no compatibility checks, no persistence. It exists because no
 * Apicurio Registry server can run where the default test suite runs.
 */
final class StubApicurioRegistry implements AutoCloseable {

    private static final Pattern CREATE = Pattern.compile("/apis/registry/v3/groups/([^/]+)/artifacts");
    private static final Pattern CONTENT = Pattern.compile("/apis/registry/v3/ids/contentIds/(\\d+)");
    private static final Pattern REFERENCES = Pattern.compile("/apis/registry/v3/ids/contentIds/(\\d+)/references");
    private static final Pattern VERSION_CONTENT = Pattern.compile(
            "/apis/registry/v3/groups/([^/]+)/artifacts/([^/]+)/versions/([^/]+)/(content|references)");

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Long> idByArtifact = new ConcurrentHashMap<>();
    private final Map<Long, String> contentById = new ConcurrentHashMap<>();
    private final Map<Long, JsonNode> referencesById = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();
    private final WireMockServer server;

    StubApicurioRegistry() {
        server = new WireMockServer(options().dynamicPort().extensions(new Registry()));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers("stub-registry")));
    }

    String url() {
        return server.baseUrl() + "/apis/registry/v3";
    }

    /** Method and path of every request, in order. */
    synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        server.stop();
    }

    private final class Registry implements ResponseDefinitionTransformerV2 {

        @Override
        public String getName() {
            return "stub-registry";
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent event) {
            String method = event.getRequest().getMethod().getName();
            String path = event.getRequest().getUrl().replaceFirst("\\?.*", "");
            synchronized (StubApicurioRegistry.this) {
                calls.add(method + " " + path);
            }
            try {
                Matcher m;
                if ("POST".equals(method) && (m = CREATE.matcher(path)).matches()) {
                    return create(m.group(1), json.readTree(event.getRequest().getBodyAsString()));
                }
                if ("GET".equals(method) && (m = REFERENCES.matcher(path)).matches()) {
                    JsonNode refs = referencesById.get(Long.parseLong(m.group(1)));
                    return ok(refs == null ? "[]" : refs.toString(), "application/json");
                }
                if ("GET".equals(method) && (m = CONTENT.matcher(path)).matches()) {
                    String content = contentById.get(Long.parseLong(m.group(1)));
                    return content == null ? notFound() : ok(content, "application/json");
                }
                if ("GET".equals(method) && (m = VERSION_CONTENT.matcher(path)).matches()) {
                    Long id = idByArtifact.get(m.group(1) + "/" + m.group(2));
                    if (id == null) {
                        return notFound();
                    }
                    return ok("content".equals(m.group(4)) ? contentById.get(id) : referencesById.get(id).toString(),
                            "application/json");
                }
                return notFound();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private ResponseDefinition create(String group, JsonNode body) {
            String artifactId = body.get("artifactId").asText();
            JsonNode content = body.path("firstVersion").path("content");
            long id = idByArtifact.computeIfAbsent(group + "/" + artifactId, k -> {
                long next = ids.incrementAndGet();
                contentById.put(next, content.get("content").asText());
                JsonNode refs = content.path("references");
                referencesById.put(next, refs.isMissingNode() ? json.createArrayNode() : refs);
                return next;
            });
            ObjectNode response = json.createObjectNode();
            response.putObject("artifact").put("groupId", group).put("artifactId", artifactId)
                    .put("artifactType", "AVRO");
            response.putObject("version").put("groupId", group).put("artifactId", artifactId)
                    .put("version", "1").put("globalId", id).put("contentId", id)
                    .put("artifactType", "AVRO").put("state", "ENABLED");
            return ok(response.toString(), "application/json");
        }

        private ResponseDefinition ok(String body, String contentType) {
            return aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body).build();
        }

        private ResponseDefinition notFound() {
            ObjectNode problem = json.createObjectNode().put("status", 404).put("title", "not in stub");
            return aResponse().withStatus(404).withHeader("Content-Type", "application/json")
                    .withBody(problem.toString()).build();
        }
    }

}
