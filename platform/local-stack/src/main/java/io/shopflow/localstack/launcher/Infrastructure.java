package io.shopflow.localstack.launcher;

import io.shopflow.contracts.KafkaAccess;
import io.shopflow.testing.KafkaBroker;
import io.shopflow.testing.PostgresServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The infrastructure process of the local stack: an embedded PostgreSQL and a KRaft Kafka
 * broker with persistent data folders (topics kept for {@value #TOPIC_RETENTION} when that is
 * set). It writes the ready marker once both accept connections and stops both cleanly on
 * SIGTERM.
 */
public final class Infrastructure {

    /** In the control folder ({@link StackLayout#control()}): while it exists, the broker is stopped. */
    public static final String KAFKA_DOWN = "kafka-down";
    /** In the control folder: PostgreSQL restarts on the same data, and the file is deleted once it accepts connections. */
    public static final String POSTGRES_RESTART = "postgres-restart";

    /** How long every topic keeps records, e.g. {@code 5m} for a soak; unset: the broker's default, 7 days. */
    public static final String TOPIC_RETENTION = "SHOPFLOW_TOPIC_RETENTION";

    private static final Pattern AMOUNT_AND_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
    /** The broker's default log.roll.ms: a segment is closed after 7 days at the latest. */
    private static final long DEFAULT_ROLL_MILLIS = Duration.ofDays(7).toMillis();

    private Infrastructure() {
    }

    public static void main(String[] args) throws Exception {
        StackLayout layout = StackLayout.fromEnvironment(Path.of(args[0]));
        Map<String, String> kafkaSettings = kafkaSettings(System.getenv(TOPIC_RETENTION));
        Files.deleteIfExists(layout.readyMarker());
        PostgresServer postgres = PostgresServer.start(layout.postgresData(), layout.postgresPort());
        Service.databases().forEach(postgres::createDatabase);
        System.out.println("PostgreSQL ready on port " + postgres.port());
        KafkaBroker kafka = KafkaBroker.start(layout.kafkaData(), layout.kafkaPort(), layout.kafkaControllerPort(),
                kafkaSettings);
        // The broker provisions the topics of KafkaAccess (its default 4 partitions each: they decide how far
        // consumers scale), its principals and their ACLs (ADR 14).
        System.out.println("Kafka ready on " + kafka.bootstrapServers() + " with " + KafkaAccess.topics().size()
                + " topics and " + KafkaAccess.PRINCIPALS.size() + " principals (SASL SCRAM-SHA-512, ACLs)"
                + (kafkaSettings.isEmpty() ? "" : " " + new TreeMap<>(kafkaSettings)));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Kafka and PostgreSQL");
            deleteQuietly(layout.readyMarker());
            kafka.close();
            postgres.close();
            stopped.countDown();
        }, "infrastructure-stop"));
        Files.writeString(layout.readyMarker(), Long.toString(ProcessHandle.current().pid()));
        Path control = layout.control();
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
        boolean kafkaWanted = !Files.exists(control.resolve(KAFKA_DOWN));
        if (kafkaWanted != kafka.isRunning()) {
            System.out.println(kafkaWanted ? "Drill: starting Kafka again" : "Drill: stopping Kafka");
            if (kafkaWanted) {
                kafka.start();
            } else {
                kafka.stop();
            }
        }
        Path restart = control.resolve(POSTGRES_RESTART);
        if (Files.exists(restart)) {
            System.out.println("Drill: restarting PostgreSQL");
            postgres.restart();
            deleteQuietly(restart);
        }
    }

    /**
     * The broker's settings for {@code retention} (the value of {@value #TOPIC_RETENTION}; null or blank: none,
     * its defaults). Broker defaults rather than each topic's own settings: they hold for the topics the
     * consumers create too (retry and dead-letter topics), and the services check that the retry topic keeps
     * records for less than their inbox window; and they are not stored, so without the variable the next start
     * is back to 7 days. {@code log.retention.ms}, and {@code log.roll.ms} no longer than it, because the broker
     * deletes only closed segments and a default one (7 days or 1 GB) would hold all the records of a soak.
     */
    static Map<String, String> kafkaSettings(String retention) {
        if (retention == null || retention.isBlank()) {
            return Map.of();
        }
        long millis = duration(TOPIC_RETENTION, retention).toMillis();
        return Map.of("log.retention.ms", Long.toString(millis),
                "log.roll.ms", Long.toString(Math.min(millis, DEFAULT_ROLL_MILLIS)));
    }

    /**
     * The {@code value} of the setting {@code name} as a positive duration: a whole number and a unit
     * ({@code 500ms}, {@code 90s}, {@code 10m}, {@code 2h}, {@code 7d}, meaning what they mean to the services'
     * Quarkus configuration) or ISO-8601 ({@code PT10M}, {@code P7D}). A bare number is refused rather than
     * guessed: Kafka's {@code retention.ms} counts milliseconds, Quarkus seconds.
     */
    static Duration duration(String name, String value) {
        String text = value.strip();
        Duration duration;
        try {
            Matcher m = AMOUNT_AND_UNIT.matcher(text);
            duration = m.matches() ? Duration.of(Long.parseLong(m.group(1)), unit(m.group(2))) : Duration.parse(text);
            duration.toMillis(); // retention.ms is a long: too large fails here, with the message below
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + value + " is not a duration: write a whole number and a"
                    + " unit (500ms, 90s, 10m, 2h, 7d) or ISO-8601 (PT10M, P7D)", e);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + "=" + value + " must be longer than zero");
        }
        return duration;
    }

    private static ChronoUnit unit(String unit) {
        return switch (unit.toLowerCase(Locale.ROOT)) {
            case "ms" -> ChronoUnit.MILLIS;
            case "s" -> ChronoUnit.SECONDS;
            case "m" -> ChronoUnit.MINUTES;
            case "h" -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            System.err.println("Could not delete " + path + ": " + e.getMessage());
        }
    }
}
