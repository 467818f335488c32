package io.shopflow.deployment;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A kustomize overlay built by {@code kubectl kustomize} and parsed into typed models: fabric8's
 * for Kubernetes kinds and the Prometheus Operator's {@code ServiceMonitor} and
 * {@code PrometheusRule}, Strimzi's own API classes for {@code Kafka}, {@code KafkaNodePool},
 * {@code KafkaTopic} and {@code KafkaUser}. CloudNativePG publishes no Java model, so its {@code Cluster} stays generic
 * and the tests check its fields by name.
 */
final class Kustomize {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Class<? extends HasMetadata>> STRIMZI = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class,
            "KafkaUser", KafkaUser.class);
    /** API groups without a Java model on Maven Central. */
    static final Set<String> UNTYPED_GROUPS = Set.of("postgresql.cnpg.io");

    private Kustomize() {
    }

    /** {@code kubectl kustomize k8s/overlays/<overlay>}: the YAML that {@code kubectl apply -k} would send. */
    static String build(String overlay) throws IOException, InterruptedException {
        Path output = Files.createTempFile("kustomize-" + overlay, ".yaml");
        Process process = new ProcessBuilder("kubectl", "kustomize", Repository.path("k8s/overlays/" + overlay).toString())
                .redirectOutput(output.toFile()).redirectError(ProcessBuilder.Redirect.PIPE).start();
        String errors = new String(process.getErrorStream().readAllBytes());
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize k8s/overlays/" + overlay + " failed: " + errors);
        }
        String yaml = Files.readString(output);
        Files.delete(output);
        return yaml;
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> resources = new ArrayList<>();
        for (Map<String, Object> document : Repository.yamlDocuments(yaml)) {
            String kind = String.valueOf(document.get("kind"));
            String apiVersion = String.valueOf(document.get("apiVersion"));
            if (apiVersion.startsWith("kafka.strimzi.io/") && STRIMZI.containsKey(kind)) {
                resources.add(SERIALIZATION.convertValue(document, STRIMZI.get(kind)));
            } else {
                KubernetesResource resource = SERIALIZATION.convertValue(document, KubernetesResource.class);
                resources.add((HasMetadata) resource);
            }
        }
        return resources;
    }

    /** Parsed YAML (maps and lists) as the typed model {@link #parse} gives the same content. */
    static <T> T convert(Object yaml, Class<T> type) {
        return SERIALIZATION.convertValue(yaml, type);
    }

    static boolean typed(HasMetadata resource) {
        return !(resource instanceof GenericKubernetesResource);
    }

    static String group(HasMetadata resource) {
        String apiVersion = resource.getApiVersion();
        return apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    }

    /**
     * Fields the typed model did not know (a misspelt or misplaced key lands in the model's
     * {@code additionalProperties}), as {@code path: [keys]}.
     */
    static List<String> unknownFields(Object model) {
        List<String> unknown = new ArrayList<>();
        walk(model, model.getClass().getSimpleName(), unknown, new IdentityHashMap<>());
        return unknown;
    }

    private static void walk(Object node, String path, List<String> unknown, IdentityHashMap<Object, Boolean> seen) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node instanceof Enum<?> || seen.put(node, true) != null) {
            return;
        }
        if (node instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> entries) {
            entries.forEach((k, v) -> walk(v, path + "." + k, unknown, seen));
            return;
        }
        String pkg = node.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            walk(value, path + "." + property(getter.getName()), unknown, seen);
        }
    }

    private static String property(String getter) {
        String name = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
