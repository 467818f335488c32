package io.shopflow.testing;

import io.shopflow.contracts.KafkaAccess;
import io.shopflow.contracts.KafkaConnection;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller), run in
 * this JVM from the Kafka server jars. No Docker and no in-memory stand-in: clients speak
 * the Kafka protocol to it over loopback.
 *
 * <p>It authorizes as compose and Kubernetes do (ADR 14): clients log in with SCRAM-SHA-512 over
 * {@code SASL_PLAINTEXT}, the standard authorizer allows each principal of {@link KafkaAccess} only
 * its ACLs, and {@value #ADMIN} (tests, the local stack's tools) is a super user. At every start the
 * broker makes the SCRAM credentials, the ACLs and the topics what {@link KafkaAccess} describes:
 * each principal's password is {@link #password(String)}, for local development only.
 *
 * <p>{@link #stop()} and {@link #start()} take the broker down and bring it back on the
 * same port with the same log directory, for outage tests. Tests use {@link #shared()} (its log is
 * deleted when the JVM exits, {@link JvmScratch});
 * the local stack uses {@link #start(Path, int, int, Map)} with a persistent log directory.
 */
public final class KafkaBroker implements AutoCloseable {

    /** The super user of tests and tools: produces and reads anything, creates topics. */
    public static final String ADMIN = "admin";
    /**
     * The broker's own identity towards itself and its controller (PLAIN, from its configuration, since
     * SCRAM credentials live in the metadata the controller serves); it also provisions the rest.
     */
    private static final String BROKER = "broker";

    private static KafkaBroker shared;

    private final Path logDirectory;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> settings;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDirectory, int port, int controllerPort, Map<String, String> settings) {
        this.logDirectory = logDirectory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.settings = Map.copyOf(settings);
    }

    /** The JVM-wide broker for tests, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = JvmScratch.start("shopflow-kafka", directory -> start(directory, 0, 0));
        }
        return shared;
    }

    /**
     * Starts a broker whose data lives in {@code logDirectory} (formatted on first use).
     *
     * @param port client port, or 0 for a free one
     * @param controllerPort KRaft controller port, or 0 for a free one
     */
    public static KafkaBroker start(Path logDirectory, int port, int controllerPort) {
        return start(logDirectory, port, controllerPort, Map.of());
    }

    /**
     * As {@link #start(Path, int, int)}, with broker {@code settings} over this class's own, e.g.
     * {@code log.retention.ms}: the retention of every topic that has none of its own, also of those that
     * clients create. Not stored: a setting left out at the next start is back to its default.
     */
    public static KafkaBroker start(Path logDirectory, int port, int controllerPort, Map<String, String> settings) {
        KafkaBroker broker = new KafkaBroker(logDirectory,
                port > 0 ? port : freePort(), controllerPort > 0 ? controllerPort : freePort(), settings);
        broker.start();
        return broker;
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** As the super user {@value #ADMIN}. */
    public KafkaConnection connection() {
        return connection(ADMIN);
    }

    /** As {@code principal}: {@value #ADMIN} or one of {@link KafkaAccess#PRINCIPALS}. */
    public KafkaConnection connection(String principal) {
        return KafkaConnection.scram(bootstrapServers(), principal, password(principal));
    }

    /**
     * The password of {@code principal} on this broker. Local development only, like the defaults in the
     * applications' configuration, which are these.
     */
    public static String password(String principal) {
        return principal + "-dev-password";
    }

    public int port() {
        return port;
    }

    /** (Re)starts the broker on its port; formats the log directory on first use. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        KafkaConfig config = KafkaConfig.fromProps(properties(), false);
        formatIfNeeded();
        KafkaRaftServer raftServer = new KafkaRaftServer(config, Time.SYSTEM);
        raftServer.startup();
        server = raftServer;
        awaitReady(this::internalAdmin);
        provision();
        awaitReady(this::admin);
    }

    /** Stops the broker; clients see connection failures until {@link #start()}. */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** Creates a topic unless it exists. */
    public void createTopic(String topic, int partitions) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + topic, e.getCause());
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + topic, e);
        }
    }

    /**
     * A producer of raw records (String keys, byte[] values) as the super user {@value #ADMIN}: what tests
     * send a service or its retry and dead-letter topics, well-formed or not. The caller closes it.
     */
    public KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(connection().clientConfig(Map.of()), new StringSerializer(), new ByteArraySerializer());
    }

    /** An admin client of the super user {@value #ADMIN}. */
    public Admin admin() {
        return admin(connection());
    }

    private Admin internalAdmin() {
        return admin(new KafkaConnection(bootstrapServers(), Map.of("security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN", "sasl.jaas.config", plainLogin(false))));
    }

    private static Admin admin(KafkaConnection connection) {
        return Admin.create(connection.clientConfig(Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)));
    }

    /**
     * SCRAM credentials for {@value #ADMIN} and every principal, the ACLs of {@link KafkaAccess} and no
     * others (only what differs is changed, so that a restart does not leave running clients without
     * their ACLs for a moment), and the topics of {@link KafkaAccess#topics()} with the broker's default
     * partitions.
     */
    private void provision() {
        try (Admin admin = internalAdmin()) {
            List<UserScramCredentialAlteration> credentials = new ArrayList<>();
            for (String principal : principals()) {
                credentials.add(new UserScramCredentialUpsertion(principal,
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password(principal)));
            }
            admin.alterUserScramCredentials(credentials).all().get(30, TimeUnit.SECONDS);

            Set<AclBinding> wanted = new HashSet<>(KafkaAccess.acls());
            Set<AclBinding> present = new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values()
                    .get(30, TimeUnit.SECONDS));
            List<AclBinding> missing = wanted.stream().filter(acl -> !present.contains(acl)).toList();
            List<AclBindingFilter> extra = present.stream().filter(acl -> !wanted.contains(acl))
                    .map(AclBinding::toFilter).toList();
            if (!extra.isEmpty()) {
                admin.deleteAcls(extra).all().get(30, TimeUnit.SECONDS);
            }
            if (!missing.isEmpty()) {
                admin.createAcls(missing).all().get(30, TimeUnit.SECONDS);
            }

            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> newTopics = KafkaAccess.topics().stream().filter(t -> !topics.contains(t))
                    .map(t -> new NewTopic(t, Optional.empty(), Optional.empty())).toList();
            if (!newTopics.isEmpty()) {
                admin.createTopics(newTopics).all().get(30, TimeUnit.SECONDS);
            }
            awaitAcls(admin, wanted);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("Could not provision the credentials, ACLs and topics of Kafka on "
                    + bootstrapServers(), e);
        }
    }

    private static List<String> principals() {
        List<String> principals = new ArrayList<>(KafkaAccess.PRINCIPALS);
        principals.add(ADMIN);
        return principals;
    }

    /** The controller writes the ACLs; this waits until the broker's authorizer has exactly {@code wanted}. */
    private static void awaitAcls(Admin admin, Set<AclBinding> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!wanted.equals(new HashSet<>(
                admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The broker did not apply the " + wanted.size() + " ACLs in time");
            }
            sleep(50);
        }
    }

    /**
     * PLAIN login of {@value #BROKER}; on the broker's side ({@code server}) also the only user PLAIN
     * accepts: only the broker itself and its provisioning use PLAIN.
     */
    private static String plainLogin(boolean server) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER
                + "\" password=\"" + password(BROKER) + "\"" + (server ? " user_" + BROKER + "=\"" + password(BROKER) + "\"" : "")
                + ";";
    }

    @Override
    public void close() {
        stop();
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "CLIENT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "CLIENT://localhost:" + port);
        p.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "CLIENT");
        // Clients log in with SCRAM (credentials in the metadata); the broker itself with PLAIN, whose one
        // user is in this configuration, because it must reach its controller before any metadata exists.
        p.put("listener.name.client.sasl.enabled.mechanisms", KafkaConnection.SCRAM + ",PLAIN");
        p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.client.plain.sasl.jaas.config", plainLogin(true));
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config", plainLogin(true));
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:" + BROKER + ";User:" + ADMIN);
        p.put("log.dirs", logDirectory.toString());
        p.put("num.partitions", "4");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Consumer groups of the KIP-848 protocol (ADR 13): a member that stops heartbeating loses its partitions
        // after 10 s (default 45 s), and members hear of a new assignment within a second.
        p.put("group.consumer.session.timeout.ms", "10000");
        p.put("group.consumer.min.session.timeout.ms", "10000");
        p.put("group.consumer.heartbeat.interval.ms", "1000");
        p.put("group.consumer.min.heartbeat.interval.ms", "1000");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("log.cleaner.enable", "false");
        p.putAll(settings);
        return p;
    }

    private void formatIfNeeded() {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDirectory);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setNodeId(1)
                    .setControllerListenerName("CONTROLLER")
                    .setMetadataLogDirectory(logDirectory.toString())
                    .setDirectories(List.of(logDirectory.toString()))
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format Kafka log directory " + logDirectory, e);
        }
    }

    private void awaitReady(Supplier<Admin> client) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = client.get()) {
                if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            sleep(200);
        }
        throw new IllegalStateException("Kafka broker did not become ready on " + bootstrapServers(), last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
