package io.shopflow.localstack.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The local Prometheus scrapes the same jobs as compose's, and promtool accepts its configuration. */
class PrometheusConfigTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final Pattern JOB = Pattern.compile("job_name:\\s*['\"]?([\\w-]+)");

    @Test
    void scrapesTheComposeJobsUnderTheSameNames(@TempDir Path home) throws Exception {
        String local = PrometheusConfig.render(layout(home, 3));
        String compose = Files.readString(REPOSITORY.resolve("infra/prometheus/prometheus.yml"));

        assertThat(jobs(local)).containsExactlyInAnyOrderElementsOf(jobs(compose));
        assertThat(local).contains("'localhost:8084', 'localhost:8104', 'localhost:8114'")
                .contains(REPOSITORY.resolve("infra/prometheus/rules") + "/*.yml");
    }

    @Test
    void promtoolAcceptsTheConfigurationAndItsRules(@TempDir Path home) throws Exception {
        assumeTrue(PrometheusConfig.onPath("promtool").isPresent(), "promtool is not installed (apt-get install prometheus; .ci/run installs it)");
        StackLayout layout = layout(home, 1);
        PrometheusConfig.write(layout);
        Process check = new ProcessBuilder("promtool", "check", "config", layout.prometheusConfig().toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(output).isZero();
    }

    private static StackLayout layout(Path home, int sagaInstances) {
        return new StackLayout(home, REPOSITORY, 15432, 19092, 19093, 8080, 8089, sagaInstances, 9090, true, "",
                home.resolve("aot"));
    }

    private static Set<String> jobs(String yaml) {
        Set<String> jobs = new LinkedHashSet<>();
        Matcher m = JOB.matcher(yaml);
        while (m.find()) {
            jobs.add(m.group(1));
        }
        return jobs;
    }
}
