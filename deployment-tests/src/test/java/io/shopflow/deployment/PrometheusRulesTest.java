package io.shopflow.deployment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.shopflow.deployment.Repository.list;
import static io.shopflow.deployment.Repository.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code infra/prometheus} as Prometheus reads it: {@code promtool check config} and
 * {@code check rules} accept the files, {@code promtool test rules} runs the alert unit tests,
 * and every alert has a unit test, a severity and a runbook section. Which metrics the rules
 * and dashboards read is checked against running processes by {@code LocalStackIT}.
 */
class PrometheusRulesTest {

    @BeforeAll
    static void promtool() {
        assumeTrue(Repository.onPath("promtool"), "promtool is not installed (apt-get install prometheus; .ci/run installs it)");
    }

    @Test
    void promtoolAcceptsTheConfigurationsAndTheRules() throws Exception {
        assertPromtool("check", "config", "infra/prometheus/prometheus.yml");
        assertPromtool("check", "config", "infra/prometheus/prometheus.load.yml");
        for (Path rules : files("infra/prometheus/rules")) {
            assertPromtool("check", "rules", Repository.ROOT.relativize(rules).toString());
        }
    }

    @Test
    void everyAlertPassesItsUnitTests() throws Exception {
        List<Path> tests = files("infra/prometheus/tests");
        assertThat(tests).isNotEmpty();
        for (Path test : tests) {
            assertPromtool("test", "rules", Repository.ROOT.relativize(test).toString());
        }
    }

    @Test
    void everyAlertHasATestASeverityAndARunbookSection() throws Exception {
        StringBuilder testText = new StringBuilder();
        for (Path test : files("infra/prometheus/tests")) {
            testText.append(Files.readString(test));
        }
        String runbook = Repository.read("docs/runbook.md").toLowerCase();
        int alerts = 0;
        for (Path rules : files("infra/prometheus/rules")) {
            for (Object group : list(Repository.yaml(Repository.ROOT.relativize(rules).toString()).get("groups"))) {
                for (Object rule : list(map(group).get("rules"))) {
                    Map<String, Object> r = map(rule);
                    if (r.get("alert") == null) {
                        continue;
                    }
                    alerts++;
                    String alert = r.get("alert").toString();
                    assertThat(testText.toString()).as("a promtool test fires %s", alert)
                            .containsPattern("alertname:\\s*" + alert + "\\b");
                    assertThat(map(r.get("labels")).get("severity")).as("%s severity", alert).isIn("page", "ticket");
                    String runbookUrl = String.valueOf(map(r.get("annotations")).get("runbook_url"));
                    assertThat(runbookUrl).as("%s runbook link", alert).endsWith("docs/runbook.md#" + alert.toLowerCase());
                    assertThat(runbook).as("docs/runbook.md has a section for %s", alert)
                            .contains("## " + alert.toLowerCase());
                }
            }
        }
        assertThat(alerts).isGreaterThanOrEqualTo(8);
    }

    private static List<Path> files(String dir) throws Exception {
        try (var files = Files.list(Repository.path(dir))) {
            return new ArrayList<>(files.filter(p -> p.toString().endsWith(".yml")).sorted().toList());
        }
    }

    private static void assertPromtool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("promtool"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(Repository.ROOT.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    }
}
