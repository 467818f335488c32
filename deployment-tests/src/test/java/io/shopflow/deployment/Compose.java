package io.shopflow.deployment;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.shopflow.deployment.Repository.list;
import static io.shopflow.deployment.Repository.map;

/** {@code compose.yaml} read as Compose would: services, their environment after interpolation of defaults. */
final class Compose {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Map<String, Object> services;
    private final Map<String, Object> volumes;

    private Compose(Map<String, Object> file) {
        this.services = map(file.get("services"));
        this.volumes = map(file.get("volumes"));
    }

    static Compose read(String file) {
        return new Compose(Repository.yaml(file));
    }

    Map<String, Object> services() {
        return services;
    }

    Map<String, Object> volumes() {
        return volumes;
    }

    Map<String, Object> service(String name) {
        Object service = services.get(name);
        if (service == null) {
            throw new AssertionError("compose.yaml has no service " + name + "; it has " + services.keySet());
        }
        return map(service);
    }

    /** The service's environment, list or map form, with {@code ${VAR:-default}} resolved to its default. */
    Map<String, String> environment(String name) {
        Map<String, String> result = new LinkedHashMap<>();
        rawEnvironment(name).forEach((k, v) -> result.put(k, interpolate(v)));
        return result;
    }

    /** The service's environment as written, {@code ${VAR:-default}} left in (YAML aliases resolved). */
    Map<String, String> rawEnvironment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> result = new LinkedHashMap<>();
        if (environment instanceof List<?> entries) {
            for (Object entry : entries) {
                String text = entry.toString();
                int eq = text.indexOf('=');
                result.put(eq < 0 ? text : text.substring(0, eq), eq < 0 ? "" : text.substring(eq + 1));
            }
        } else {
            map(environment).forEach((k, v) -> result.put(k, v == null ? "" : v.toString()));
        }
        return result;
    }

    /** {@code depends_on} as service -> condition (the short list form means {@code service_started}). */
    Map<String, String> dependencies(String name) {
        Object dependsOn = service(name).get("depends_on");
        Map<String, String> result = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> names) {
            names.forEach(n -> result.put(n.toString(), "service_started"));
        } else {
            map(dependsOn).forEach((k, v) -> result.put(k, String.valueOf(map(v).getOrDefault("condition",
                    "service_started"))));
        }
        return result;
    }

    /** The host side of each published port ({@code "8080:8080"}, {@code "127.0.0.1:3000:3000"}, long form). */
    List<String> publishedPorts(String name) {
        return list(service(name).get("ports")).stream().map(p -> {
            if (p instanceof Map<?, ?> longForm) {
                return String.valueOf(longForm.get("target"));
            }
            String text = interpolate(p.toString());
            String[] parts = text.split(":");
            return parts[parts.length - 1].replace("/tcp", "");
        }).toList();
    }

    /** {@code deploy.resources.limits.memory} in bytes ({@code 512m}, {@code 1g}), or empty without one. */
    OptionalLong memoryLimit(String name) {
        Object memory = map(map(map(service(name).get("deploy")).get("resources")).get("limits")).get("memory");
        if (memory == null) {
            return OptionalLong.empty();
        }
        String text = memory.toString().toLowerCase(Locale.ROOT).replace("b", "");
        long unit = switch (text.charAt(text.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            default -> 1;
        };
        return OptionalLong.of(Long.parseLong(unit == 1 ? text : text.substring(0, text.length() - 1)) * unit);
    }

    String healthcheck(String name) {
        Object test = map(service(name).get("healthcheck")).get("test");
        return test instanceof List<?> parts ? String.join(" ", parts.stream().map(Object::toString).toList())
                : String.valueOf(test);
    }

    static String interpolate(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Host and port of a URL, JDBC URLs included ({@code jdbc:postgresql://postgres:5432/orders}). */
    static URI uri(String url) {
        return URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
    }
}
