package io.shopflow.localstack.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack's Prometheus, when one is installed ({@code apt-get install prometheus}): it
 * scrapes every Shopflow process on its local port with the same job names as
 * {@code infra/prometheus/prometheus.yml} (compose) and evaluates the same alert rules, so the
 * dashboards' and alerts' queries mean the same thing locally and in compose.
 */
public final class PrometheusConfig {

    private PrometheusConfig() {
    }

    /** The {@code prometheus} executable on the PATH, if any. */
    public static Optional<Path> binary() {
        return onPath("prometheus");
    }

    /** The executable {@code command} on the PATH, if any. */
    static Optional<Path> onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Job name (as in compose: the application's) to the local {@code host:port} targets it scrapes: every Quarkus
     * application of the stack, the instances of one under one job.
     */
    static Map<String, List<String>> jobs(StackLayout layout) {
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        StackProcess.all(layout).stream().filter(StackProcess::isApplication).forEach(process -> jobs
                .computeIfAbsent(process.application(), job -> new ArrayList<>()).add(local(process.port())));
        return jobs;
    }

    static String render(StackLayout layout) {
        StringBuilder yaml = new StringBuilder()
                .append("# Written by ./local-stack.sh up; the compose equivalent is infra/prometheus/prometheus.yml.\n")
                .append("global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\n")
                .append("rule_files:\n  - ").append(quoted(layout.repository().resolve("infra/prometheus/rules")
                        .toAbsolutePath() + "/*.yml")).append('\n')
                .append("scrape_configs:\n")
                .append("  - job_name: prometheus\n    static_configs:\n      - targets: [")
                .append(quoted(local(layout.prometheusPort()))).append("]\n");
        jobs(layout).forEach((job, targets) -> {
            yaml.append("  - job_name: ").append(job).append("\n    metrics_path: /q/metrics\n")
                    .append("    static_configs:\n      - targets: [");
            yaml.append(String.join(", ", targets.stream().map(PrometheusConfig::quoted).toList()));
            yaml.append("]\n");
        });
        return yaml.toString();
    }

    static void write(StackLayout layout) throws IOException {
        Files.createDirectories(layout.prometheusData());
        Files.writeString(layout.prometheusConfig(), render(layout));
    }

    private static String local(int port) {
        return "localhost:" + port;
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
