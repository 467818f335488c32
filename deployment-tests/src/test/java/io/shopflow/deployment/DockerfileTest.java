package io.shopflow.deployment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The root Dockerfile builds every image from source: a build stage that resolves dependencies
 * from the poms alone (a layer that survives source changes) and then builds the reactor, and
 * one slim, non-root runtime target per application with JVM flags that follow the container's
 * memory limit.
 */
class DockerfileTest {

    private static final Pattern FROM = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$");

    private final String dockerfile = Repository.read("Dockerfile");

    @Test
    void theBuildStageCopiesEveryModulePomBeforeTheSourcesSoThatDependenciesAreACachedLayer() {
        int firstSourceCopy = dockerfile.indexOf("src ");
        for (String module : Repository.modules()) {
            String pom = module + "/pom.xml";
            assertThat(dockerfile).as("Dockerfile copies %s", pom).contains(pom);
            assertThat(dockerfile.indexOf(pom)).as("%s is copied before any sources", pom).isLessThan(firstSourceCopy);
        }
        assertThat(dockerfile).contains("--mount=type=cache,target=/root/.m2");
        assertThat(Repository.read(".dockerignore")).contains("target").contains(".local-stack");
    }

    @Test
    void everyApplicationHasANonRootRuntimeTargetSizedByTheContainer() {
        List<String> targets = new ArrayList<>();
        Matcher from = FROM.matcher(dockerfile);
        while (from.find()) {
            if (from.group(2) != null) {
                targets.add(from.group(2));
            }
            if (!targets.contains(from.group(1))) {
                assertThat(from.group(1)).as("base images are pinned to a tag").contains(":").doesNotEndWith(":latest");
            }
        }
        List<String> apps = new ArrayList<>(App.QUARKUS_APPS.stream().map(App::name).toList());
        apps.add("payment-provider-simulator");
        assertThat(targets).containsAll(apps);
        for (String app : apps) {
            String stage = withBaseStages(app);
            assertThat(stage).as("%s runs as a non-root user", app).containsPattern("(?m)^USER\\s+(?!root|0\\b)\\S+")
                    .doesNotContainPattern("(?m)^USER\\s+(root|0)\\s*$");
            assertThat(stage).as("%s exposes its port", app).containsPattern("(?m)^EXPOSE\\s+\\d+");
        }
        App.QUARKUS_APPS.forEach(app -> assertThat(stage(app.name())).as("%s Quarkus application", app.name())
                .contains(app.module() + "/target/quarkus-app/lib/")
                .containsPattern("EXPOSE\\s+" + app.httpPort()));
        assertThat(dockerfile).as("heap follows the container's memory limit").contains("-XX:MaxRAMPercentage=");
    }

    @Test
    void everyQuarkusImageBuildsItsAotCacheOnJdk25WithTheOptionsItRunsWith() {
        assertThat(dockerfile).as("JDK 25 throughout (ADR 13)").contains("eclipse-temurin:25-jdk", "eclipse-temurin:25-jre")
                .doesNotContainPattern("temurin:(?!25-)");
        Pattern build = Pattern.compile("(?m)^RUN timeout \\d+ java ((?:-XX:[+-]\\w+ )*)-XX:AOTCacheOutput=(\\S+) .*\\\\\n"
                + "\\s+\\|\\| test -s \\2$");
        Pattern entrypoint = Pattern.compile("(?m)^ENTRYPOINT .*exec java (.*)$");
        App.QUARKUS_APPS.forEach(app -> {
            String stage = stage(app.name());
            Matcher cache = build.matcher(stage);
            // Without the infrastructure a training start ends at its first connection, or never:
            // bounded, and failing the build only when no cache was written.
            assertThat(cache.find()).as("%s builds its AOT cache in a bounded run that needs no infrastructure", app.name()).isTrue();
            Matcher run = entrypoint.matcher(stage);
            assertThat(run.find()).as("%s has an ENTRYPOINT", app.name()).isTrue();
            // A JVM whose options differ from the cache's (compact headers, say) ignores the cache, silently.
            assertThat(run.group(1)).as("%s runs with its cache and the options it was built with", app.name())
                    .contains("-XX:AOTCache=" + cache.group(2)).contains(cache.group(1).trim().split(" "));
            assertThat(stage.indexOf(cache.group())).as("%s builds the cache before it drops root", app.name())
                    .isLessThan(stage.indexOf("\nUSER "));
        });
    }

    @Test
    void theBuildNeedsNoFrontendImageFromARegistry() {
        // A "# syntax=" line makes BuildKit fetch that frontend image before it reads a line; where
        // nothing can be pulled (infra/compose.sh) the build fails there. The engine's own frontend
        // reads RUN --mount and COPY --chmod (Docker 20.10 and later).
        assertThat(dockerfile).as("no syntax directive").doesNotContainPattern("(?im)^#\\s*syntax\\s*=");
    }

    /** A stage with the stages it builds on ({@code FROM runtime AS order-service} includes {@code runtime}). */
    private String withBaseStages(String name) {
        StringBuilder text = new StringBuilder();
        String current = name;
        while (current != null) {
            String stage = stage(current);
            text.append(stage);
            Matcher from = FROM.matcher(stage);
            from.find();
            String base = from.group(1);
            current = FROM.matcher(dockerfile).results().anyMatch(r -> base.equals(r.group(2))) ? base : null;
        }
        return text.toString();
    }

    /** The text of one stage, from its FROM line to the next FROM. */
    private String stage(String name) {
        Matcher m = Pattern.compile("(?im)^FROM\\s+\\S+\\s+AS\\s+" + Pattern.quote(name) + "\\s*$").matcher(dockerfile);
        assertThat(m.find()).as("stage %s", name).isTrue();
        int next = dockerfile.toUpperCase().indexOf("\nFROM ", m.end());
        return dockerfile.substring(m.start(), next < 0 ? dockerfile.length() : next);
    }
}
