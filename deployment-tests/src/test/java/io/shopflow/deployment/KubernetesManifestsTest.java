package io.shopflow.deployment;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRuleSpec;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.shopflow.contracts.KafkaAccess;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.shopflow.deployment.Repository.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Kubernetes manifests as {@code kubectl apply -k k8s/overlays/<dev|prod>} would send them:
 * each overlay builds, every resource parses into its typed model without unknown fields, and
 * what the platform relies on holds: probes, resources, secrets by reference, a single relay
 * per source, autoscaling and disruption budgets for the stateless services, metrics scraped,
 * compose's alerts loaded, databases reachable only from their service and the relay, each
 * service running as its database's runtime role with the roles SQL compose and the tests run,
 * topics provisioned, Kafka reached over TLS by each application as its own KafkaUser with the
 * ACLs of {@code KafkaAccess}.
 */
class KubernetesManifestsTest {

    private static final Map<String, List<HasMetadata>> OVERLAYS = new HashMap<>();
    private static final String NAME = "app.kubernetes.io/name";
    private static final String ALERT_RULES = "infra/prometheus/rules/shopflow-alerts.yml";
    /** The roles of a service database: the one copy, run by compose's init script, the Clusters and the tests. */
    private static final String ROLES_SQL = "k8s/base/databases/service-database-roles.sql";
    private static final String ROLES_SQL_CONFIG_MAP = "service-database-roles";

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(Repository.onPath("kubectl"), "kubectl is not installed (apt-get install kubectl; .ci/run installs it)");
        for (String overlay : List.of("dev", "prod")) {
            OVERLAYS.put(overlay, Kustomize.parse(Kustomize.build(overlay)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyResourceParsesIntoItsTypedModelWithoutUnknownFields(String overlay) {
        List<HasMetadata> resources = OVERLAYS.get(overlay);
        assertThat(resources).isNotEmpty();
        for (HasMetadata resource : resources) {
            String id = resource.getKind() + "/" + resource.getMetadata().getName();
            if (Kustomize.UNTYPED_GROUPS.contains(Kustomize.group(resource))) {
                continue;
            }
            assertThat(Kustomize.typed(resource)).as("%s (%s) has a typed model", id, resource.getApiVersion()).isTrue();
            assertThat(Kustomize.unknownFields(resource)).as("unknown fields in %s", id).isEmpty();
        }
        assertThat(resources).as("secrets are created by operators and referenced, never shipped")
                .noneMatch(r -> r instanceof Secret);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void applicationsHaveProbesResourcesTheirPortAndOnlyRealConfigurationKeys(String overlay) {
        Map<String, Deployment> deployments = deployments(overlay);
        for (App app : App.QUARKUS_APPS) {
            Deployment deployment = deployments.get(app.name());
            assertThat(deployment).as("Deployment %s", app.name()).isNotNull();
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                    .filter(c -> c.getName().equals(app.name())).findFirst()
                    .orElseThrow(() -> new AssertionError(app.name() + " has no container named after it"));
            assertThat(container.getPorts()).as("%s container port", app.name())
                    .anyMatch(p -> "http".equals(p.getName()) && p.getContainerPort() == app.httpPort());
            assertProbe(app, "startup", container.getStartupProbe(), "/q/health/started");
            assertProbe(app, "readiness", container.getReadinessProbe(), "/q/health/ready");
            assertProbe(app, "liveness", container.getLivenessProbe(), "/q/health/live");
            List<String> variables = new ArrayList<>(container.getEnv().stream().map(EnvVar::getName).toList());
            container.getEnvFrom().stream().filter(from -> from.getConfigMapRef() != null).forEach(from -> {
                ConfigMap shared = configMaps(overlay).get(from.getConfigMapRef().getName());
                assertThat(shared).as("%s reads ConfigMap %s", app.name(), from.getConfigMapRef().getName()).isNotNull();
                variables.addAll(shared.getData().keySet());
            });
            for (String variable : variables) {
                if (!variable.equals("JAVA_OPTS_APPEND")) {
                    assertThat(app.readsEnvironmentVariable(variable))
                            .as("%s sets %s, which is no key of %s", app.name(), variable, app.module()).isTrue();
                }
            }
            assertThat(container.getImage()).as("%s image", app.name()).startsWith("shopflow/" + app.name() + ":")
                    .doesNotEndWith(":latest");
        }
        for (Deployment deployment : deployments.values()) {
            for (Container container : deployment.getSpec().getTemplate().getSpec().getContainers()) {
                String id = deployment.getMetadata().getName() + "/" + container.getName();
                assertThat(container.getResources()).as("%s resources", id).isNotNull();
                assertThat(container.getResources().getRequests()).as("%s requests", id).containsKeys("cpu", "memory");
                assertThat(container.getResources().getLimits()).as("%s limits", id).containsKey("memory");
                for (EnvVar env : container.getEnv()) {
                    if (env.getName().matches("(?i).*(PASSWORD|SECRET|TOKEN|CREDENTIAL).*")) {
                        assertThat(env.getValue()).as("%s %s is a literal", id, env.getName()).isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef()).as("%s %s from a Secret", id, env.getName())
                                .isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void onlyTheDevOverlayRunsTheServicesWithTheDevelopmentIssuer() {
        // The services refuse to start with the development key or issuer unless SHOPFLOW_DEVELOPMENT=true.
        assertThat(Repository.read("k8s/base/kustomization.yaml")).doesNotContain("- SHOPFLOW_JWT_ISSUER=",
                "- SHOPFLOW_DEVELOPMENT=", "https://shopflow.local/dev");
        assertThat(sharedSettings("dev"))
                .containsEntry("SHOPFLOW_DEVELOPMENT", "true")
                .containsEntry("SHOPFLOW_JWT_ISSUER", "https://shopflow.local/dev");
        Map<String, String> prod = sharedSettings("prod");
        assertThat(prod).doesNotContainKey("SHOPFLOW_DEVELOPMENT");
        assertThat(prod.get("SHOPFLOW_JWT_ISSUER")).isNotBlank().isNotEqualTo("https://shopflow.local/dev");
        assertThat(prod.get("SHOPFLOW_JWT_PUBLIC_KEY")).isNotBlank().doesNotContain("dev-keys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theRelayIsOneStatelessReplicaReplacedNotRolledWhileTheServicesScale(String overlay) {
        Deployment relay = deployments(overlay).get(App.RELAY.name());
        assertThat(relay.getSpec().getReplicas()).isEqualTo(1);
        assertThat(relay.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(relay.getSpec().getTemplate().getSpec().getVolumes())
                .as("the relay keeps no state of its own: each source's replication slot holds its position")
                .allMatch(volume -> volume.getPersistentVolumeClaim() == null);

        Set<String> autoscaled = of(overlay, HorizontalPodAutoscaler.class)
                .map(h -> h.getSpec().getScaleTargetRef().getName()).collect(Collectors.toSet());
        assertThat(autoscaled).doesNotContain(App.RELAY.name())
                .containsAll(App.SERVICES.stream().map(App::name).toList());
        List<PodDisruptionBudget> budgets = of(overlay, PodDisruptionBudget.class).toList();
        for (App service : App.SERVICES) {
            assertThat(budgets).as("PodDisruptionBudget for %s", service.name())
                    .anyMatch(b -> service.name().equals(selected(b.getSpec().getSelector())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyApplicationIsScrapedAtItsMetricsEndpoint(String overlay) {
        List<ServiceMonitor> monitors = of(overlay, ServiceMonitor.class).toList();
        for (App app : App.QUARKUS_APPS) {
            assertThat(monitors).as("ServiceMonitor for %s", app.name())
                    .anyMatch(m -> app.name().equals(selected(m.getSpec().getSelector()))
                            && m.getSpec().getEndpoints().stream().anyMatch(e -> "/q/metrics".equals(e.getPath())
                            && "http".equals(e.getPort())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theAlertsOfComposeReachThePrometheusOperator(String overlay) {
        List<PrometheusRule> rules = of(overlay, PrometheusRule.class).toList();
        assertThat(rules).as("PrometheusRules").hasSize(1);
        PrometheusRule rule = rules.get(0);
        assertThat(rule.getMetadata().getLabels()).as("%s: selected by kube-prometheus-stack's default ruleSelector",
                rule.getMetadata().getName()).containsEntry("release", "prometheus");
        assertThat(rule.getSpec()).as("k8s/base/monitoring/shopflow-alerts.yaml has other groups than %s: "
                        + "regenerate it with k8s/generate-prometheus-rule.sh", ALERT_RULES)
                .isEqualTo(Kustomize.convert(Repository.yaml(ALERT_RULES), PrometheusRuleSpec.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheGatewayReachesOrderServiceAndDatabasesAcceptOnlyTheirServiceAndTheRelay(String overlay) {
        List<NetworkPolicy> policies = of(overlay, NetworkPolicy.class).toList();
        assertThat(policies).as("a default deny of ingress").anyMatch(p -> labels(p.getSpec().getPodSelector()).isEmpty()
                && p.getSpec().getPolicyTypes().contains("Ingress")
                && (p.getSpec().getIngress() == null || p.getSpec().getIngress().isEmpty()));

        for (NetworkPolicy policy : policies) {
            String target = selected(policy.getSpec().getPodSelector());
            boolean fromGateway = peers(policy).anyMatch(peer -> peer.getNamespaceSelector() != null
                    && "ingress-nginx".equals(labels(peer.getNamespaceSelector()).get("kubernetes.io/metadata.name")));
            if (fromGateway) {
                assertThat(target).as("only order-service is reachable from the ingress controller")
                        .isEqualTo("order-service");
            }
        }
        assertThat(policies).as("the gateway reaches order-service").anyMatch(p ->
                "order-service".equals(selected(p.getSpec().getPodSelector())) && peers(p).anyMatch(peer ->
                        peer.getNamespaceSelector() != null && "ingress-nginx".equals(
                                labels(peer.getNamespaceSelector()).get("kubernetes.io/metadata.name"))));

        Map<String, String> clusterOfDatabase = new HashMap<>();
        for (GenericKubernetesResource cluster : clusters(overlay)) {
            clusterOfDatabase.put(String.valueOf(path(cluster, "spec", "bootstrap", "initdb", "database")),
                    cluster.getMetadata().getName());
        }
        for (App service : App.SERVICES) {
            String cluster = clusterOfDatabase.get(service.database().orElseThrow());
            assertThat(cluster).as("a CloudNativePG Cluster for %s", service.database().get()).isNotNull();
            List<NetworkPolicy> guarding = policies.stream().filter(p -> cluster.equals(
                    labels(p.getSpec().getPodSelector()).get("cnpg.io/cluster"))).toList();
            assertThat(guarding).as("NetworkPolicy of database %s", cluster).isNotEmpty();
            Set<String> clients = guarding.stream().flatMap(KubernetesManifestsTest::peers)
                    .filter(peer -> peer.getPodSelector() != null && peer.getNamespaceSelector() == null)
                    .map(peer -> labels(peer.getPodSelector()).get(NAME)).filter(Objects::nonNull)
                    .collect(Collectors.toSet());
            assertThat(clients).as("applications that reach database %s", cluster)
                    .containsExactlyInAnyOrder(service.name(), App.RELAY.name());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void servicesRunAsARoleThatChangesRowsOnlyAndMigrateAsTheOwnerWithTheRolesSqlComposeAndTheTestsRun(
            String overlay) {
        ConfigMap roles = configMaps(overlay).get(ROLES_SQL_CONFIG_MAP);
        assertThat(roles).as("ConfigMap %s", ROLES_SQL_CONFIG_MAP).isNotNull();
        assertThat(roles.getData()).containsEntry("service-database-roles.sql", Repository.read(ROLES_SQL));

        Map<String, Deployment> deployments = deployments(overlay);
        for (GenericKubernetesResource cluster : clusters(overlay)) {
            String name = cluster.getMetadata().getName();
            Map<String, Object> initdb = map(path(cluster, "spec", "bootstrap", "initdb"));
            String owner = String.valueOf(initdb.get("owner"));
            assertThat(initdb).as("%s grants nothing of its own: the shared SQL does", name)
                    .doesNotContainKey("postInitApplicationSQL");
            assertThat(String.valueOf(initdb.get("postInitApplicationSQLRefs"))).as("%s bootstrap SQL", name)
                    .contains("name=" + ROLES_SQL_CONFIG_MAP);
            Map<String, Map<String, Object>> managed = new HashMap<>();
            Repository.list(path(cluster, "spec", "managed", "roles"))
                    .forEach(role -> managed.put(String.valueOf(map(role).get("name")), map(role)));
            assertThat(managed).as("%s managed roles", name).containsOnlyKeys(owner + "_app", "shopflow_relay");
            assertThat(managed.get("shopflow_relay")).containsEntry("replication", true);
            assertThat(managed.get(owner + "_app")).doesNotContainKey("replication");

            App service = App.SERVICES.stream()
                    .filter(s -> s.database().orElseThrow().equals(path(cluster, "spec", "bootstrap", "initdb", "database")))
                    .findFirst().orElseThrow();
            Map<String, String> secrets = deployments.get(service.name()).getSpec().getTemplate().getSpec().getContainers()
                    .stream().filter(c -> c.getName().equals(service.name())).flatMap(c -> c.getEnv().stream())
                    .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .collect(Collectors.toMap(EnvVar::getName, e -> e.getValueFrom().getSecretKeyRef().getName()));
            assertThat(secrets).as("%s database credentials", service.name())
                    .containsEntry("QUARKUS_FLYWAY_USERNAME", name + "-app")
                    .containsEntry("QUARKUS_FLYWAY_PASSWORD", name + "-app")
                    .containsEntry("QUARKUS_DATASOURCE_USERNAME",
                            String.valueOf(map(managed.get(owner + "_app").get("passwordSecret")).get("name")))
                    .containsEntry("QUARKUS_DATASOURCE_PASSWORD",
                            String.valueOf(map(managed.get(owner + "_app").get("passwordSecret")).get("name")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theProviderSimulatorsAdminTokenComesFromASecret(String overlay) {
        Deployment simulator = deployments(overlay).get("payment-provider-simulator");
        if (overlay.equals("prod")) {
            assertThat(simulator).as("prod talks to the real provider").isNull();
            return;
        }
        EnvVar token = simulator.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv().stream()
                .filter(e -> e.getName().equals("PROVIDER_ADMIN_TOKEN")).findFirst()
                .orElseThrow(() -> new AssertionError("no PROVIDER_ADMIN_TOKEN: /admin would refuse to start"));
        assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("payment-provider-simulator-admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaTopicsAreProvisionedAndTheDatabasesReplicateLogically(String overlay) {
        Kafka kafka = of(overlay, Kafka.class).findFirst().orElseThrow(() -> new AssertionError("no Kafka resource"));
        assertThat(String.valueOf(kafka.getSpec().getKafka().getConfig().get("auto.create.topics.enable")))
                .isEqualTo("false");
        Set<String> topics = of(overlay, KafkaTopic.class)
                .map(t -> t.getSpec().getTopicName() != null ? t.getSpec().getTopicName() : t.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(topics).containsAll(KafkaAccess.topics());

        List<GenericKubernetesResource> clusters = clusters(overlay);
        assertThat(clusters).hasSize(App.SERVICES.size());
        clusters.forEach(c -> assertThat(String.valueOf(path(c, "spec", "postgresql", "parameters", "wal_level")))
                .as("%s wal_level", c.getMetadata().getName()).isEqualTo("logical"));

        int brokers = of(overlay, KafkaNodePool.class).mapToInt(p -> p.getSpec().getReplicas()).sum();
        if (overlay.equals("prod")) {
            assertThat(brokers).as("prod brokers").isGreaterThanOrEqualTo(3);
            clusters.forEach(c -> assertThat((Integer) path(c, "spec", "instances")).as("%s instances",
                    c.getMetadata().getName()).isGreaterThanOrEqualTo(3));
        } else {
            assertThat(brokers).isGreaterThanOrEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void kafkaAuthenticatesEveryClientOverTlsAndAuthorizesWithAcls(String overlay) {
        Kafka kafka = of(overlay, Kafka.class).findFirst().orElseThrow(() -> new AssertionError("no Kafka resource"));
        List<GenericKafkaListener> listeners = kafka.getSpec().getKafka().getListeners();
        for (GenericKafkaListener listener : listeners) {
            assertThat(listener.isTls()).as("listener %s is TLS", listener.getName()).isTrue();
            assertThat(listener.getAuth()).as("listener %s authenticates", listener.getName()).isNotNull();
            assertThat(listener.getAuth().getType()).isEqualTo("scram-sha-512");
        }
        assertThat(kafka.getSpec().getKafka().getAuthorization()).as("authorization").isNotNull();
        assertThat(kafka.getSpec().getKafka().getAuthorization().getType()).isEqualTo("simple");
        assertThat(kafka.getSpec().getEntityOperator().getUserOperator()).as("the User Operator").isNotNull();

        Map<String, String> common = configMaps(overlay).values().stream()
                .filter(c -> c.getMetadata().getName().startsWith("shopflow-common")).findFirst().orElseThrow().getData();
        String bootstrap = common.get("KAFKA_BOOTSTRAP_SERVERS");
        assertThat(bootstrap).isEqualTo(kafka.getMetadata().getName() + "-kafka-bootstrap:" + listeners.get(0).getPort());
        assertThat(common).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        assertThat(of(overlay, NetworkPolicy.class).filter(p -> "allow-kafka-clients".equals(p.getMetadata().getName()))
                .flatMap(p -> p.getSpec().getIngress().stream()).flatMap(rule -> rule.getPorts().stream())
                .map(port -> port.getPort().getIntVal())).containsExactly(listeners.get(0).getPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void eachPrincipalIsAKafkaUserWithExactlyTheAclsOfKafkaAccess(String overlay) {
        Map<String, KafkaUser> users = of(overlay, KafkaUser.class)
                .collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u));
        assertThat(users.keySet()).containsExactlyInAnyOrderElementsOf(KafkaAccess.PRINCIPALS);
        for (String principal : KafkaAccess.PRINCIPALS) {
            KafkaUser user = users.get(principal);
            assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "shopflow-kafka");
            assertThat(user.getSpec().getAuthentication().getType()).as("%s authentication", principal)
                    .isEqualTo("scram-sha-512");
            List<String> acls = new ArrayList<>();
            for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
                assertThat(rule.getType()).as("%s: only ALLOW rules", principal).isIn(null, AclRuleType.ALLOW);
                assertThat(rule.getHost()).as("%s: from any host", principal).isIn(null, "*");
                String name = switch (rule.getResource()) {
                    case AclRuleTopicResource topic -> {
                        assertThat(topic.getPatternType()).isIn(null, AclResourcePatternType.LITERAL);
                        yield topic.getName();
                    }
                    case AclRuleGroupResource group -> {
                        assertThat(group.getPatternType()).isIn(null, AclResourcePatternType.LITERAL);
                        yield group.getName();
                    }
                    default -> throw new AssertionError(principal + " has an ACL on a " + rule.getResource().getType());
                };
                rule.getOperations().forEach(operation -> acls.add(
                        AclLines.of(principal, operation.toValue(), rule.getResource().getType(), name)));
            }
            assertThat(acls).as("KafkaUser %s's ACLs", principal)
                    .containsExactlyInAnyOrderElementsOf(AclLines.of(KafkaAccess.acls(principal)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyApplicationLogsInAsItsKafkaUserAndTrustsTheClusterCa(String overlay) {
        Map<String, Deployment> deployments = deployments(overlay);
        for (App app : App.QUARKUS_APPS) {
            assertThat(app.properties().getProperty("kafka.sasl.username")).as("%s's principal", app.name())
                    .isEqualTo(app.name()).isIn(KafkaAccess.PRINCIPALS);
            PodSpec pod = deployments.get(app.name()).getSpec().getTemplate().getSpec();
            Container container = pod.getContainers().stream().filter(c -> c.getName().equals(app.name())).findFirst()
                    .orElseThrow();
            EnvVar password = container.getEnv().stream().filter(e -> e.getName().equals("KAFKA_SASL_PASSWORD"))
                    .findFirst().orElseThrow(() -> new AssertionError(app.name() + " sets no KAFKA_SASL_PASSWORD"));
            assertThat(password.getValueFrom().getSecretKeyRef().getName()).as("%s's KafkaUser Secret", app.name())
                    .isEqualTo(app.name());
            assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
            assertThat(pod.getVolumes()).as("%s mounts the cluster CA", app.name()).anyMatch(v -> v.getSecret() != null
                    && "shopflow-kafka-cluster-ca-cert".equals(v.getSecret().getSecretName()));
            String truststore = configMaps(overlay).values().stream()
                    .filter(c -> c.getMetadata().getName().startsWith("shopflow-common")).findFirst().orElseThrow()
                    .getData().get("KAFKA_SSL_TRUSTSTORE_LOCATION");
            assertThat(container.getVolumeMounts()).as("%s's truststore %s", app.name(), truststore)
                    .anyMatch(m -> truststore.startsWith(m.getMountPath() + "/"));
        }
    }

    private static void assertProbe(App app, String kind, Probe probe, String path) {
        assertThat(probe).as("%s %s probe", app.name(), kind).isNotNull();
        assertThat(probe.getHttpGet().getPath()).as("%s %s probe path", app.name(), kind).isEqualTo(path);
        Object port = probe.getHttpGet().getPort().getValue();
        assertThat(port).as("%s %s probe port", app.name(), kind).isIn("http", app.httpPort());
    }

    /** The shopflow-common ConfigMap every service reads (its name carries a content hash). */
    private static Map<String, String> sharedSettings(String overlay) {
        return of(overlay, ConfigMap.class).filter(c -> c.getMetadata().getName().startsWith("shopflow-common-"))
                .findFirst().orElseThrow().getData();
    }

    private static Map<String, ConfigMap> configMaps(String overlay) {
        return of(overlay, ConfigMap.class).collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
    }

    private static Map<String, Deployment> deployments(String overlay) {
        return of(overlay, Deployment.class).collect(Collectors.toMap(d -> d.getMetadata().getName(), d -> d));
    }

    private static List<GenericKubernetesResource> clusters(String overlay) {
        return of(overlay, GenericKubernetesResource.class)
                .filter(r -> r.getKind().equals("Cluster") && Kustomize.group(r).equals("postgresql.cnpg.io")).toList();
    }

    private static <T> Stream<T> of(String overlay, Class<T> type) {
        return OVERLAYS.get(overlay).stream().filter(type::isInstance).map(type::cast);
    }

    private static Stream<NetworkPolicyPeer> peers(NetworkPolicy policy) {
        return policy.getSpec().getIngress() == null ? Stream.empty()
                : policy.getSpec().getIngress().stream().filter(rule -> rule.getFrom() != null)
                .flatMap(rule -> rule.getFrom().stream());
    }

    private static Map<String, String> labels(LabelSelector selector) {
        return selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
    }

    /** The app a selector picks by {@code app.kubernetes.io/name}. */
    private static String selected(LabelSelector selector) {
        return labels(selector).get(NAME);
    }

    private static Object path(GenericKubernetesResource resource, String... keys) {
        Object node = resource.getAdditionalProperties();
        for (String key : keys) {
            node = map(node).get(key);
        }
        return node;
    }
}
