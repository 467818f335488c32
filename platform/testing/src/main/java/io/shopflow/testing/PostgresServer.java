package io.shopflow.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 17 server from the zonky embedded binaries, configured for logical
 * decoding ({@code wal_level=logical}) so that the CDC relay can stream from it.
 *
 * <p>Tests use {@link #shared()}: one server per JVM on a free port, in a temporary data
 * directory, stopped and deleted by a shutdown hook ({@link JvmScratch}). The local stack uses
 * {@link #start(Path, int)} with a persistent data directory and a fixed port.
 *
 * <p>Each database it creates has the roles and rights a service database has in compose and on
 * Kubernetes, from the same SQL ({@code k8s/base/databases/service-database-roles.sql}): owned by
 * {@link #owner(String)}, which runs the migrations, used at runtime by {@link #appRole(String)}
 * (rows only), read by {@link #RELAY_ROLE}. The superuser {@link #USER} is for test fixtures and
 * tools only.
 */
public final class PostgresServer implements AutoCloseable {

    /** Superuser of the embedded cluster; local development only. */
    public static final String USER = "postgres";
    /** The embedded cluster trusts local connections; any password is accepted. */
    public static final String PASSWORD = "postgres";
    /** The outbox relay's role: {@code REPLICATION}, and rights on the table {@code outbox} only. */
    public static final String RELAY_ROLE = "shopflow_relay";

    private static final String ROLES_SQL = "/shopflow/service-database-roles.sql";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private static PostgresServer shared;

    private final Path dataDirectory;
    private volatile EmbeddedPostgres postgres;

    private PostgresServer(Path dataDirectory, EmbeddedPostgres postgres) {
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
    }

    /** The JVM-wide server for tests, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = JvmScratch.start("shopflow-pg", directory -> start(directory, 0));
        }
        return shared;
    }

    /**
     * Starts a server on {@code dataDirectory}; an existing cluster there is reused.
     *
     * @param port the port, or 0 for a free one
     */
    public static PostgresServer start(Path dataDirectory, int port) {
        return new PostgresServer(dataDirectory, launch(dataDirectory, port));
    }

    /**
     * Stops the server and starts it again on the same data and port, as an operator's restart
     * does; for failure drills. The stop is a fast shutdown (clients are disconnected) which, when
     * the postmaster has not exited after zonky's 5 s, becomes an immediate one, as {@code docker
     * compose restart} kills it after its timeout: a fast shutdown waits for every walsender until its
     * client confirms all WAL up to the shutdown checkpoint, and the relay confirms only what it has
     * published and deleted from the outbox, which it cannot do while the server shuts down. The
     * next start then recovers from the WAL: nothing committed is lost.
     */
    public synchronized void restart() {
        stop();
        start();
    }

    /**
     * Stops the server as {@link #restart()} does (fast shutdown, immediate after 5 s) and leaves it
     * down, its port closed, until {@link #start()}: for outage tests, which see what clients see while
     * PostgreSQL is away (connections refused).
     */
    public synchronized void stop() {
        Optional<ProcessHandle> postmaster = postmaster();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        postmaster.filter(ProcessHandle::isAlive).ifPresent(this::stopImmediately);
    }

    /** Starts a {@link #stop() stopped} server again on the same data and port. */
    public synchronized void start() {
        postgres = launch(dataDirectory, port());
    }

    /**
     * The running postmaster, from the first line of the data directory's {@code postmaster.pid}; none
     * when there is no such file (the server is stopped).
     */
    private Optional<ProcessHandle> postmaster() {
        try (Stream<String> lines = Files.lines(dataDirectory.resolve("postmaster.pid"))) {
            return lines.findFirst().map(String::strip).map(Long::parseLong).flatMap(ProcessHandle::of);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("No postmaster.pid in " + dataDirectory, e);
        }
    }

    /**
     * Immediate shutdown (SIGQUIT, what {@code pg_ctl stop -m immediate} sends): every process ends at
     * once; waits until the postmaster has exited and released the port and {@code postmaster.pid}.
     */
    private void stopImmediately(ProcessHandle postmaster) {
        try {
            Process kill = new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster.pid()))
                    .redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0 && postmaster.isAlive()) {
                throw new IllegalStateException("Could not signal the postmaster " + postmaster.pid() + ": " + output);
            }
            postmaster.onExit().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The postmaster " + postmaster.pid() + " of " + dataDirectory
                    + " did not exit within " + STOP_TIMEOUT.toSeconds() + " s of an immediate shutdown", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping PostgreSQL in " + dataDirectory, e);
        }
    }

    private static EmbeddedPostgres launch(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_connections", "300")
                    // Durability does not matter for tests and the local run; speed does. But commits
                    // are synchronous, PostgreSQL's default (zonky's builder turns it off): otherwise
                    // WAL reaches the walsender only at the WAL writer's next flush (wal_writer_delay,
                    // 200 ms), which put up to 200 ms into every CDC hop of a saga. Without fsync a
                    // synchronous commit costs one write().
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "off")
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (port > 0) {
                builder.setPort(port);
            }
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start in " + dataDirectory, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** URL for the Vert.x reactive client (Hibernate Reactive). */
    public String reactiveUrl(String database) {
        return "postgresql://localhost:" + port() + "/" + database;
    }

    /** The owner of {@code database}, which runs its migrations: a role of the database's name, as on Kubernetes. */
    public static String owner(String database) {
        return database;
    }

    /** The role the service of {@code database} runs as: the rows of its owner's tables, nothing else. */
    public static String appRole(String database) {
        return owner(database) + "_app";
    }

    /** A connection as the superuser, for fixtures and tools. */
    public Connection connect(String database) throws SQLException {
        return connect(database, USER);
    }

    /** A connection as {@code role} (local connections are trusted: no password is checked). */
    public Connection connect(String database, String role) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), role, PASSWORD);
    }

    /**
     * Creates {@code database} unless it exists, owned by {@link #owner(String)}, and gives it the
     * roles and rights of a service database (service-database-roles.sql, run again on an existing
     * one). Names are identifiers: [a-z0-9_].
     *
     * @throws IllegalStateException when an existing database has another owner: it was created
     *         before the service databases had their own roles
     */
    public synchronized void createDatabase(String database) {
        if (!Objects.requireNonNull(database).matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("Not a plain database name: " + database);
        }
        String owner = owner(database);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            if (!s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + owner + "'").next()) {
                s.execute("CREATE ROLE " + owner + " LOGIN");
            }
            ResultSet rs = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '"
                    + database + "'");
            if (!rs.next()) {
                s.execute("CREATE DATABASE " + database + " OWNER " + owner);
            } else if (!owner.equals(rs.getString(1))) {
                throw new IllegalStateException("Database " + database + " is owned by " + rs.getString(1)
                        + ", not by its own role " + owner + ": it predates the per-service roles. Delete "
                        + dataDirectory + " to start from an empty cluster.");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database, e);
        }
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(rolesSql());
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set up the roles of database " + database, e);
        }
    }

    private static String rolesSql() {
        try (InputStream in = PostgresServer.class.getResourceAsStream(ROLES_SQL)) {
            if (in == null) {
                throw new IllegalStateException(ROLES_SQL + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Drops {@code database} with its replication slots, so a test can start from nothing. */
    public void dropDatabase(String database) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE database = '" + database + "' AND NOT active");
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop database " + database, e);
        }
    }

    /**
     * Stops the server as {@link #stop()} does: a fast shutdown, which waits for every walsender until
     * its client confirms all WAL, and an immediate one when the postmaster has not exited after 5 s.
     * Before, a test JVM whose relay still streamed when its shutdown hook ran left the postmaster running
     * after it had exited.
     */
    @Override
    public void close() {
        stop();
    }
}
