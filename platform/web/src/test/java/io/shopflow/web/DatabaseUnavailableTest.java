package io.shopflow.web;

import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.SocketException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of the PostgreSQL clients are the database away for the moment (503, retry) and which
 * are bugs (500), on the exceptions the Vert.x client and Hibernate Reactive raise. order-service's
 * {@code DatabaseOutageTest} shows the whole answer against a stopped and restarted PostgreSQL.
 */
class DatabaseUnavailableTest {

    @Test
    void aConnectionRefusedOrClosedIsTheDatabaseAwayWhereverItIsInTheCauseChain() {
        assertThat(DatabaseUnavailable.in(new CompletionException(new ConnectException("Connection refused"))))
                .isPresent();
        assertThat(DatabaseUnavailable.in(new RuntimeException("session failed", ClosedConnectionException.INSTANCE)))
                .isPresent();
        assertThat(DatabaseUnavailable.in(new VertxException(DatabaseUnavailable.PENDING_REQUESTS_FAILED, true)))
                .isPresent();
    }

    @Test
    void aConnectionResetUnderAStatementIsTheDatabaseAwayToo() {
        // The postgres-restart drill: a fast shutdown reset the connection of a POST /orders, answered 500
        // ("nothing was changed") though its commit's outcome was unknown; a retry with the same
        // Idempotency-Key is the client's way to learn it.
        assertThat(DatabaseUnavailable.in(new CompletionException(new SocketException("Connection reset"))))
                .isPresent();
    }

    @Test
    void shutdownStartupAndConnectionStatesAreTheDatabaseAway() {
        // What a fast shutdown sends each session, what a server starting up or shutting down answers a
        // new connection, and class 08 (connection exception).
        assertThat(DatabaseUnavailable.in(pg("terminating connection due to administrator command", "57P01")))
                .isPresent();
        assertThat(DatabaseUnavailable.in(pg("the database system is shutting down", "57P03"))).isPresent();
        assertThat(DatabaseUnavailable.in(pg("terminating connection because of crash", "57P02"))).isPresent();
        assertThat(DatabaseUnavailable.in(pg("connection failure", "08006"))).isPresent();
        // Hibernate converts the client's failure to an SQLException inside its own exception.
        assertThat(DatabaseUnavailable.in(new RuntimeException(new SQLException("could not connect", "08001"))))
                .isPresent();
    }

    @Test
    void otherDatabaseErrorsAndBugsAreNot() {
        assertThat(DatabaseUnavailable.in(pg("permission denied for table orders", "42501"))).isEmpty();
        assertThat(DatabaseUnavailable.in(pg("duplicate key value violates unique constraint", "23505"))).isEmpty();
        assertThat(DatabaseUnavailable.in(pg("database \"orders\" does not exist", "3D000"))).isEmpty();
        assertThat(DatabaseUnavailable.in(new RuntimeException(new SQLException("syntax error", "42601")))).isEmpty();
        assertThat(DatabaseUnavailable.in(new SQLException("no state"))).isEmpty();
        assertThat(DatabaseUnavailable.in(new IllegalStateException("a bug"))).isEmpty();
    }

    @Test
    void answers503ProblemWithRetryAfter() {
        Response response = DatabaseUnavailable.response();

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getMediaType()).hasToString(Problems.MEDIA_TYPE);
        assertThat(response.getHeaderString("Retry-After")).isEqualTo("5");
        assertThat(response.getEntity()).isInstanceOfSatisfying(Problems.Problem.class, problem -> {
            assertThat(problem.type()).isEqualTo("/problems/database-unavailable");
            assertThat(problem.title()).isEqualTo("Database unavailable");
            assertThat(problem.status()).isEqualTo(503);
        });
    }

    private static PgException pg(String message, String sqlState) {
        return new PgException(message, "FATAL", sqlState, null);
    }
}
