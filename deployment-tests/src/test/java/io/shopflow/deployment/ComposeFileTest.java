package io.shopflow.deployment;

import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.KafkaConnection;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.shopflow.deployment.Repository.list;
import static io.shopflow.deployment.Repository.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of {@code compose.yaml} without a Docker engine: every part of the platform
 * is there, built from source, health-checked and started in dependency order; every variable
 * it sets is a configuration key of the service; host names, ports and URLs agree with the
 * services' configuration, the Prometheus scrape configuration and the database init script;
 * each service runs as its runtime role and migrates as its database's owner; the broker
 * authenticates every client and kafka-init gives each principal the ACLs of {@code KafkaAccess}.
 * {@code ComposeStackIT} runs the file for real where a Docker engine exists.
 */
class ComposeFileTest {

    private static final Set<String> INFRASTRUCTURE = Set.of("kafka", "kafka-init", "postgres", "apicurio-registry",
            "prometheus", "grafana", "jaeger", "mailpit", "payment-provider-simulator");
    /** One-shot containers: no healthcheck, no restart, others wait for them to complete. */
    private static final Set<String> ONE_SHOT = Set.of("kafka-init");
    /** Host port -> the only services that may publish: the public API and the consoles. */
    private static final Map<String, String> PUBLISHED = Map.of("order-service", "8080", "grafana", "3000",
            "jaeger", "16686", "prometheus", "9090", "mailpit", "8025");
    /** Environment variables a container may set that are not Quarkus configuration keys. */
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_OPTS_APPEND");

    private final Compose compose = Compose.read("compose.yaml");

    @Test
    void everyPartOfThePlatformIsAServiceWithAHealthcheckARestartPolicyAndAMemoryLimit() {
        Set<String> expected = new HashSet<>(INFRASTRUCTURE);
        App.QUARKUS_APPS.forEach(app -> expected.add(app.name()));
        assertThat(compose.services().keySet()).containsAll(expected);

        for (String name : compose.services().keySet()) {
            if (ONE_SHOT.contains(name)) {
                assertThat(compose.service(name).get("restart")).as("%s restart", name).isIn(null, "no");
                continue;
            }
            assertThat(compose.healthcheck(name)).as("%s healthcheck", name).isNotEqualTo("null").isNotBlank();
            assertThat(compose.memoryLimit(name)).as("%s memory limit (deploy.resources.limits.memory)", name)
                    .isPresent();
            assertThat(compose.service(name).get("restart")).as("%s restart policy", name)
                    .isIn("unless-stopped", "always", "on-failure");
        }
    }

    @Test
    void eachApplicationIsBuiltFromItsDockerfileTargetAndHealthCheckedOnItsOwnPort() {
        String dockerfile = Repository.read("Dockerfile");
        for (App app : App.QUARKUS_APPS) {
            Map<String, Object> build = map(compose.service(app.name()).get("build"));
            assertThat(build.get("context")).as("%s build context", app.name()).isEqualTo(".");
            assertThat(build.get("target")).as("%s build target", app.name()).isEqualTo(app.name());
            assertThat(dockerfile).as("Dockerfile stage for %s", app.name())
                    .containsPattern("(?im)^FROM\\s+\\S+\\s+AS\\s+" + Pattern.quote(app.name()) + "\\s*$");
            assertThat(compose.healthcheck(app.name())).as("%s healthcheck", app.name())
                    .contains("localhost:" + app.httpPort() + "/q/health/ready");
        }
        assertThat(map(compose.service("payment-provider-simulator").get("build")).get("target"))
                .isEqualTo("payment-provider-simulator");
    }

    @Test
    void theFilesAreReadByComposeV1TooWithTheProjectNameFromTheEnvFile() {
        // Debian's docker-compose 1.29 (infra/compose.sh) refuses top-level keys it does not know,
        // such as name; both versions read COMPOSE_PROJECT_NAME from .env in the project directory.
        for (String file : List.of("compose.yaml", "compose.stand-ins.yaml", "compose.load.yaml")) {
            assertThat(Repository.yaml(file).keySet()).as("%s top-level keys", file)
                    .allSatisfy(key -> assertThat(key).matches("services|volumes|networks|configs|secrets|x-.+"));
        }
        assertThat(Repository.read(".env")).containsPattern("(?m)^COMPOSE_PROJECT_NAME=shopflow$");
    }

    @Test
    void everyImageALocalRunNeedsIsBuiltHereUnderTheNameTheFilesUse() {
        // Nothing can be pulled on the build machines: infra/compose.sh builds a stand-in for every
        // image compose.yaml (with compose.stand-ins.yaml over it) and the Dockerfile start from,
        // under that very name, or the run stops at the first pull.
        String script = Repository.read("infra/compose.sh");
        Compose standIns = Compose.read("compose.stand-ins.yaml");
        Set<String> images = new HashSet<>();
        for (String name : compose.services().keySet()) {
            if (compose.service(name).get("build") != null) {
                continue;
            }
            Object override = standIns.services().containsKey(name) ? standIns.service(name).get("image") : null;
            images.add(Compose.interpolate(String.valueOf(override != null ? override : compose.service(name).get("image"))));
        }
        Matcher from = Pattern.compile("(?im)^FROM\\s+(\\S+)(?:\\s+AS\\s+(\\S+))?\\s*$").matcher(Repository.read("Dockerfile"));
        Set<String> stages = new HashSet<>();
        while (from.find()) {
            if (!stages.contains(from.group(1))) {
                images.add(from.group(1));
            }
            if (from.group(2) != null) {
                stages.add(from.group(2));
            }
        }
        assertThat(images).isNotEmpty().allSatisfy(image -> assertThat(script)
                .as("infra/compose.sh builds a stand-in named %s", image).containsPattern("(?m) " + Pattern.quote(image) + "( |$)"));
        String kafkaTag = Compose.interpolate(String.valueOf(compose.service("kafka").get("image"))).split(":")[1];
        assertThat(Repository.read("infra/stand-ins/kafka/pom.xml")).as("the Kafka stand-in's jars are the tag's version")
                .contains("<kafka.version>" + kafkaTag + "</kafka.version>");
    }

    @Test
    void applicationsStartOnlyOnceTheirDatabaseBrokerTopicsAndRegistryAreReady() {
        for (App service : App.SERVICES) {
            assertThat(compose.dependencies(service.name())).as("%s depends_on", service.name())
                    .containsEntry("postgres", "service_healthy")
                    .containsEntry("kafka", "service_healthy")
                    .containsEntry("kafka-init", "service_completed_successfully")
                    .containsEntry("apicurio-registry", "service_healthy");
        }
        Map<String, String> relay = compose.dependencies(App.RELAY.name());
        assertThat(relay).containsEntry("postgres", "service_healthy").containsEntry("kafka", "service_healthy")
                .containsEntry("kafka-init", "service_completed_successfully");
        // The services' Flyway migrations create the outbox tables and the publication the relay reads.
        App.SERVICES.forEach(s -> assertThat(relay).containsEntry(s.name(), "service_healthy"));
        assertThat(compose.dependencies("payment-service")).containsEntry("payment-provider-simulator", "service_healthy");
        assertThat(compose.dependencies("notification-service")).containsEntry("mailpit", "service_healthy");
        assertThat(compose.dependencies("kafka-init")).containsEntry("kafka", "service_healthy");

        for (String name : compose.services().keySet()) {
            compose.dependencies(name).forEach((dependency, condition) -> {
                assertThat(compose.services()).as("%s depends on a service that exists", name).containsKey(dependency);
                assertThat(condition).as("%s waits for %s", name, dependency)
                        .isIn("service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(compose.healthcheck(dependency)).as("%s has a healthcheck", dependency).isNotEqualTo("null");
                }
            });
        }
    }

    @Test
    void onlyThePublicApiAndTheConsolesArePublishedOnTheHost() {
        for (String name : compose.services().keySet()) {
            List<String> ports = compose.publishedPorts(name);
            if (PUBLISHED.containsKey(name)) {
                assertThat(ports).as("%s ports", name).containsExactly(PUBLISHED.get(name));
            } else {
                assertThat(ports).as("%s publishes nothing", name).isEmpty();
            }
        }
    }

    @Test
    void everyEnvironmentVariableOfAnApplicationIsOneOfItsConfigurationKeys() {
        for (App app : App.QUARKUS_APPS) {
            compose.environment(app.name()).keySet().stream().filter(v -> !JVM_VARIABLES.contains(v))
                    .forEach(variable -> assertThat(app.readsEnvironmentVariable(variable))
                            .as("%s sets %s, which is no key of %s/src/main/resources/application.properties",
                                    app.name(), variable, app.module())
                            .isTrue());
        }
    }

    @Test
    void servicesUseTheirOwnDatabaseTheBrokerTheRegistryAndTheTraceCollectorByTheirComposeNames() {
        String kafkaListeners = compose.environment("kafka").getOrDefault("KAFKA_ADVERTISED_LISTENERS", "");
        for (App service : App.SERVICES) {
            Map<String, String> env = compose.environment(service.name());
            String database = service.database().orElseThrow();
            URI jdbc = Compose.uri(env.get("QUARKUS_DATASOURCE_JDBC_URL"));
            assertThat(jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath()).as("%s JDBC URL", service.name())
                    .isEqualTo("postgres:5432/" + database);
            URI reactive = Compose.uri(env.get("QUARKUS_DATASOURCE_REACTIVE_URL"));
            assertThat(reactive.getHost() + ":" + reactive.getPort() + reactive.getPath())
                    .as("%s reactive URL", service.name()).isEqualTo("postgres:5432/" + database);
            assertThat(env.get("QUARKUS_DATASOURCE_USERNAME")).as("%s database user", service.name()).isNotBlank();
            assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD")).as("%s database password", service.name()).isNotBlank();
            assertThat(kafkaListeners).as("the broker advertises what %s connects to", service.name())
                    .contains(env.get("KAFKA_BOOTSTRAP_SERVERS"));
            assertThat(env).as("%s serde", service.name()).containsEntry("SHOPFLOW_SERDE_MODE", "apicurio");
            URI registry = URI.create(env.get("APICURIO_REGISTRY_URL"));
            assertThat(registry.getHost()).isEqualTo("apicurio-registry");
            assertThat(compose.healthcheck("apicurio-registry")).contains(":" + registry.getPort() + "/");
            assertThat(env).as("%s samples traces", service.name()).containsEntry("QUARKUS_OTEL_TRACES_SAMPLER_ARG", "1");
            assertThat(URI.create(env.get("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT")).getHost()).isEqualTo("jaeger");
        }
        URI provider = URI.create(compose.environment("payment-service").get("QUARKUS_REST_CLIENT_PAYMENT_PROVIDER_URL"));
        assertThat(provider.getHost()).isEqualTo("payment-provider-simulator");
        assertThat(compose.environment("payment-provider-simulator"))
                .containsEntry("PROVIDER_PORT", Integer.toString(provider.getPort()));
        assertThat(compose.environment("notification-service")).containsEntry("QUARKUS_MAILER_HOST", "mailpit")
                .containsEntry("QUARKUS_MAILER_PORT", "1025");
    }

    @Test
    void theServicesRunAsADevelopmentSetupWithThePackagedDevelopmentKey() {
        // Without the flag an image (prod profile) refuses to start with the development key and issuer.
        for (App service : App.SERVICES) {
            assertThat(compose.environment(service.name())).as("%s", service.name())
                    .containsEntry("SHOPFLOW_DEVELOPMENT", "true")
                    .doesNotContainKeys("SHOPFLOW_JWT_PUBLIC_KEY", "SHOPFLOW_JWT_ISSUER");
        }
    }

    @Test
    void theRelayReadsEveryServiceDatabaseAsTheRelayRoleTheInitScriptCreates() {
        Map<String, String> env = compose.environment(App.RELAY.name());
        assertThat(env).containsEntry("SHOPFLOW_RELAY_MODE", "cdc");
        assertThat(list(compose.service(App.RELAY.name()).get("volumes")))
                .as("the relay keeps no state of its own: each source's replication slot holds its position")
                .isEmpty();
        String init = Repository.read("infra/postgres/init-databases.sh");
        for (List<String> source : App.RELAY_SOURCES) {
            String prefix = "SHOPFLOW_RELAY_SOURCES_" + source.get(0).toUpperCase() + "_";
            URI jdbc = Compose.uri(env.get(prefix + "JDBC_URL"));
            assertThat(jdbc.getHost() + ":" + jdbc.getPort() + jdbc.getPath()).isEqualTo("postgres:5432/" + source.get(1));
            assertThat(init).as("init script creates database %s", source.get(1)).contains(source.get(1));
            assertThat(init).as("init script creates the relay's user").contains(env.get(prefix + "USERNAME"));
        }
        assertThat(init).containsIgnoringCase("REPLICATION");
        assertThat(String.valueOf(compose.service("postgres").get("command"))).contains("wal_level=logical");
    }

    @Test
    void servicesRunAsTheirRuntimeRoleAndMigrateAsTheOwnerWithTheRolesSqlKubernetesAndTheTestsRun() {
        String init = Repository.read("infra/postgres/init-databases.sh");
        for (App service : App.SERVICES) {
            Map<String, String> env = compose.environment(service.name());
            String owner = env.get("QUARKUS_FLYWAY_USERNAME");
            assertThat(init).as("init script creates database %s owned by %s", service.database().get(), owner)
                    .containsPattern("(?m)^create_service_database\\s+" + service.database().get() + "\\s+" + owner + "\\s");
            assertThat(env).as("%s runs as its runtime role", service.name())
                    .containsEntry("QUARKUS_DATASOURCE_USERNAME", owner + "_app");
            assertThat(env.get("QUARKUS_DATASOURCE_PASSWORD")).as("%s runtime and owner passwords", service.name())
                    .isNotBlank().isNotEqualTo(env.get("QUARKUS_FLYWAY_PASSWORD"));
        }
        assertThat(init).contains("CREATE ROLE ${owner}_app LOGIN");
        Matcher rolesSql = Pattern.compile("(?m)^ROLES_SQL=(\\S+)$").matcher(init);
        assertThat(rolesSql.find()).as("init script names the roles SQL it runs").isTrue();
        assertThat(init).contains("--file \"$ROLES_SQL\"");
        assertThat(list(compose.service("postgres").get("volumes")).stream().map(Object::toString))
                .contains("./k8s/base/databases/service-database-roles.sql:" + rolesSql.group(1) + ":ro");
    }

    @Test
    void everyPasswordAndTokenComesFromTheEnvironmentWithAMarkedDevelopmentDefaultAtMost() {
        Pattern fromEnvironment = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::?-([^}]*))?}");
        int secrets = 0;
        for (String name : compose.services().keySet()) {
            for (Map.Entry<String, String> variable : compose.rawEnvironment(name).entrySet()) {
                if (!variable.getKey().matches(".*(PASSWORD|TOKEN|SECRET).*")) {
                    continue;
                }
                secrets++;
                Matcher m = fromEnvironment.matcher(variable.getValue());
                assertThat(m.matches()).as("%s %s is a ${VARIABLE}, not a literal", name, variable.getKey()).isTrue();
                if (m.group(2) != null) {
                    assertThat(m.group(2)).as("%s %s default", name, variable.getKey()).endsWith("-dev");
                }
            }
        }
        assertThat(secrets).isGreaterThan(App.SERVICES.size());
    }

    @Test
    void grafanaShowsTheDashboardsToAnonymousViewersOnlyAndPrometheusHasNoLifecycleOrAdminApi() {
        Map<String, String> grafana = compose.environment("grafana");
        assertThat(grafana.get("GF_SECURITY_ADMIN_PASSWORD")).isNotEqualTo("admin");
        if (Boolean.parseBoolean(grafana.getOrDefault("GF_AUTH_ANONYMOUS_ENABLED", "false"))) {
            assertThat(grafana).containsEntry("GF_AUTH_ANONYMOUS_ORG_ROLE", "Viewer");
        }
        assertThat(grafana).containsEntry("GF_USERS_ALLOW_SIGN_UP", "false")
                .containsEntry("GF_SNAPSHOTS_EXTERNAL_ENABLED", "false");

        for (String file : new String[] {"compose.yaml", "compose.load.yaml"}) {
            Object prometheus = Compose.read(file).services().get("prometheus");
            String command = prometheus == null ? "" : String.valueOf(map(prometheus).get("command"));
            assertThat(command).as("%s prometheus command", file)
                    .doesNotContain("--web.enable-lifecycle").doesNotContain("--web.enable-admin-api");
        }
    }

    @Test
    void theProviderSimulatorsAdminEndpointsNeedATokenFromTheEnvironment() {
        Map<String, String> simulator = compose.rawEnvironment("payment-provider-simulator");
        assertThat(simulator.get("PROVIDER_ADMIN_TOKEN")).as("PROVIDER_ADMIN_TOKEN").startsWith("${PROVIDER_ADMIN_TOKEN");
        assertThat(compose.healthcheck("payment-provider-simulator")).doesNotContain("/admin");
    }

    @Test
    void topicsAreProvisionedByTheInitStepAndNeverAutoCreated() {
        assertThat(compose.environment("kafka")).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        String script = Repository.read("infra/kafka/provision.sh");
        KafkaAccess.topics().forEach(topic -> assertThat(script).as("provision.sh creates %s", topic).contains(topic));
        assertThat(script).contains("--if-not-exists").contains("retention.ms");
        assertThat(list(compose.service("kafka-init").get("volumes")).stream().map(Object::toString))
                .anyMatch(v -> v.startsWith("./infra/kafka"));
    }

    @Test
    void theBrokerAuthenticatesEveryClientAndAllowsOnlyWhatAnAclAllows() {
        Map<String, String> kafka = compose.environment("kafka");
        String protocols = kafka.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP");
        for (String listener : kafka.get("KAFKA_LISTENERS").split(",")) {
            String name = listener.substring(0, listener.indexOf(':'));
            assertThat(protocols).as("listener %s authenticates", name).contains(name + ":SASL_");
        }
        assertThat(kafka).containsEntry("KAFKA_AUTHORIZER_CLASS_NAME",
                "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        assertThat(kafka.get("KAFKA_SUPER_USERS")).isEqualTo("User:broker;User:admin");
        assertThat(kafka.get("KAFKA_LISTENER_NAME_CLIENT_SASL_ENABLED_MECHANISMS")).contains(KafkaConnection.SCRAM);
        // The admin password the broker's PLAIN login accepts is the one kafka-init logs in with.
        assertThat(Compose.interpolate(kafka.get("KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG")))
                .contains("user_admin=\"" + Compose.interpolate(compose.environment("kafka-init").get("ADMIN_PASSWORD")) + "\"");
    }

    @Test
    void kafkaInitGivesEachPrincipalExactlyTheAclsOfKafkaAccess() {
        List<String> expected = AclLines.of(KafkaAccess.acls());
        List<String> lines = Repository.read("infra/kafka/acls.txt").lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(lines).as("infra/kafka/acls.txt, which should read:%n%s", String.join("\n", expected))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(list(compose.service("kafka-init").get("volumes")).stream().map(Object::toString))
                .anyMatch(v -> v.startsWith("./infra/kafka/acls.txt:"));
        Map<String, String> init = compose.environment("kafka-init");
        KafkaAccess.PRINCIPALS.forEach(principal -> assertThat(init).as("kafka-init's password for %s", principal)
                .containsKey(passwordVariable(principal)));
    }

    @Test
    void everyApplicationLogsInAsItsOwnPrincipalWithThePasswordKafkaInitGaveIt() {
        Map<String, String> init = compose.environment("kafka-init");
        for (App app : App.QUARKUS_APPS) {
            String principal = app.properties().getProperty("kafka.sasl.username");
            assertThat(principal).as("%s's principal", app.name()).isEqualTo(app.name()).isIn(KafkaAccess.PRINCIPALS);
            assertThat(app.properties().getProperty("kafka.sasl.jaas.config")).as("%s's login", app.name())
                    .contains("${kafka.sasl.username}", "${kafka.sasl.password}");
            String password = compose.environment(app.name()).get("KAFKA_SASL_PASSWORD");
            assertThat(password).as("%s's Kafka password", app.name()).isNotBlank()
                    .isEqualTo(init.get(passwordVariable(principal)));
        }
    }

    /** The variable provision.sh reads a principal's password from: {@code ORDER_SERVICE_KAFKA_PASSWORD}, ... */
    private static String passwordVariable(String principal) {
        return principal.toUpperCase(Locale.ROOT).replace('-', '_') + "_KAFKA_PASSWORD";
    }

    @Test
    void prometheusScrapesEveryApplicationWhereItListens() {
        Map<String, Object> prometheus = Repository.yaml("infra/prometheus/prometheus.yml");
        Map<String, String> targets = new java.util.HashMap<>();
        Map<String, String> paths = new java.util.HashMap<>();
        for (Object job : list(prometheus.get("scrape_configs"))) {
            Map<String, Object> config = map(job);
            String name = config.get("job_name").toString();
            paths.put(name, String.valueOf(config.getOrDefault("metrics_path", "/metrics")));
            for (Object staticConfig : list(config.get("static_configs"))) {
                list(map(staticConfig).get("targets")).forEach(t -> targets.put(name, t.toString()));
            }
        }
        for (App app : App.QUARKUS_APPS) {
            assertThat(targets).as("scrape job %s", app.name()).containsEntry(app.name(), app.name() + ":" + app.httpPort());
            assertThat(paths).containsEntry(app.name(), "/q/metrics");
        }
        assertThat(list(compose.service("prometheus").get("volumes")).stream().map(Object::toString))
                .anyMatch(v -> v.startsWith("./infra/prometheus"));
        assertThat(list(prometheus.get("rule_files")).stream().map(Object::toString))
                .anyMatch(r -> r.startsWith("/etc/prometheus/rules"));
    }

    @Test
    void grafanaIsProvisionedWithPrometheusAndJaegerFromTheRepository() {
        String datasources = Repository.read("grafana/provisioning/datasources/datasources.yml");
        assertThat(datasources).contains("http://prometheus:9090").contains("http://jaeger:16686");
        assertThat(list(compose.service("grafana").get("volumes")).stream().map(Object::toString))
                .anyMatch(v -> v.startsWith("./grafana/provisioning"))
                .anyMatch(v -> v.startsWith("./grafana/dashboards"));
        assertThat(compose.dependencies("grafana")).containsEntry("prometheus", "service_healthy");
    }

    @Test
    void namedVolumesAreDeclared() {
        Pattern named = Pattern.compile("^([A-Za-z0-9][A-Za-z0-9_.-]*):/");
        for (String name : compose.services().keySet()) {
            for (Object volume : list(compose.service(name).get("volumes"))) {
                Matcher m = named.matcher(volume.toString());
                if (m.find()) {
                    assertThat(compose.volumes()).as("volume %s of %s", m.group(1), name).containsKey(m.group(1));
                }
            }
        }
        assertThat(compose.volumes()).isNotEmpty();
    }
}
