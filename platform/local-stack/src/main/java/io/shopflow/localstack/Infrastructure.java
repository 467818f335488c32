package io.shopflow.localstack;

import io.shopflow.contracts.Topics;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.PostgresServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The infrastructure process of the local stack: an embedded PostgreSQL and a KRaft Kafka
 * broker with persistent data folders. It writes the ready marker once both accept
 * connections and stops both cleanly on SIGTERM.
 */
public final class Infrastructure {

    static final int TOPIC_PARTITIONS = 4;

    private Infrastructure() {
    }

    public static void main(String[] args) throws Exception {
        StackLayout layout = StackLayout.fromEnvironment(Path.of(args[0]));
        Files.deleteIfExists(layout.readyMarker());
        PostgresServer postgres = PostgresServer.start(layout.postgresData(), layout.postgresPort());
        layout.databases().forEach(postgres::createDatabase);
        System.out.println("PostgreSQL ready on port " + postgres.port());
        KafkaBroker kafka = KafkaBroker.start(layout.kafkaData(), layout.kafkaPort(), layout.kafkaControllerPort());
        // Topics are provisioned, not auto-created: partitions decide how far consumers scale.
        Topics.ALL.forEach(topic -> kafka.createTopic(topic, TOPIC_PARTITIONS));
        System.out.println("Kafka ready on " + kafka.bootstrapServers() + " with " + Topics.ALL.size() + " topics");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Kafka and PostgreSQL");
            deleteQuietly(layout.readyMarker());
            kafka.close();
            postgres.close();
            stopped.countDown();
        }, "infrastructure-stop"));
        Files.writeString(layout.readyMarker(), Long.toString(ProcessHandle.current().pid()));
        Path control = layout.root().resolve("control");
        Files.createDirectories(control);
        while (!stopped.await(200, TimeUnit.MILLISECONDS)) {
            obey(control, kafka, postgres);
        }
    }

    /**
     * Failure drills ({@code local-stack.sh drill}) reach the broker and the database through
     * files: {@code control/kafka-down} present stops the broker, absent starts it again;
     * {@code control/postgres-restart} restarts PostgreSQL on the same data and is deleted once
     * it accepts connections again.
     */
    private static void obey(Path control, KafkaBroker kafka, PostgresServer postgres) {
        boolean kafkaWanted = !Files.exists(control.resolve("kafka-down"));
        if (kafkaWanted != kafka.isRunning()) {
            System.out.println(kafkaWanted ? "Drill: starting Kafka again" : "Drill: stopping Kafka");
            if (kafkaWanted) {
                kafka.start();
            } else {
                kafka.stop();
            }
        }
        Path restart = control.resolve("postgres-restart");
        if (Files.exists(restart)) {
            System.out.println("Drill: restarting PostgreSQL");
            postgres.restart();
            deleteQuietly(restart);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("Could not delete " + path + ": " + e.getMessage());
        }
    }
}
