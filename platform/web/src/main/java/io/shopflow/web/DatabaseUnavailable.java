package io.shopflow.web;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.net.SocketException;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tells a failure because the service's PostgreSQL is away for the moment (restarting, unreachable)
 * from a bug, and answers it {@code 503} with {@code Retry-After}: a client retries the first, not the
 * second. What counts, anywhere in the cause chain (Hibernate Reactive wraps the pool's failures in its
 * own exceptions, or not at all):
 * <ul>
 *   <li>a connection refused or timed out ({@link java.net.ConnectException}, Netty's connect failures among
 *       them): the server is down or not yet listening; or reset under a statement (any other
 *       {@link SocketException}): the server went away, perhaps while it committed, so the client learns the
 *       outcome by retrying with the same Idempotency-Key;</li>
 *   <li>a connection that closed under a statement ({@link ClosedConnectionException}) or before its
 *       queued statements were sent (Vert.x SQL client's {@value #PENDING_REQUESTS_FAILED}): the server
 *       went away mid-request;</li>
 *   <li>an error with SQL state class {@code 08} (connection exception), {@code 57P01} admin_shutdown
 *       (a fast shutdown ended the session), {@code 57P02} crash_shutdown or {@code 57P03}
 *       cannot_connect_now (starting up, shutting down, in recovery), from the Vert.x client
 *       ({@link DatabaseException}) or as the {@link SQLException} Hibernate converts it to.</li>
 * </ul>
 * Any other database error (a missing grant, a broken statement, a constraint) stays a 500.
 *
 * <p>The reactive pool Quarkus configures has no acquisition timeout and no bound on its wait queue
 * (Quarkus 3.34 sets neither on Vert.x's {@code PoolOptions}): while the server is down, a request
 * waiting for a connection fails with that connection's connect failure, which is one of the above.
 */
final class DatabaseUnavailable {

    /** Seconds a client waits before it retries: a restart (stop, recovery, start) takes a few. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** Vert.x SQL client's failure of statements queued on a connection that closed before they were sent. */
    static final String PENDING_REQUESTS_FAILED = "Pending requests failed to be sent due to connection has been closed.";

    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03");
    private static final String CONNECTION_EXCEPTION_CLASS = "08";

    private DatabaseUnavailable() {
    }

    /** The failure in {@code failure}'s cause chain that says the database is away, if any. */
    static Optional<Throwable> in(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable at = failure; at != null && seen.put(at, Boolean.TRUE) == null; at = at.getCause()) {
            if (isUnavailability(at)) {
                return Optional.of(at);
            }
        }
        return Optional.empty();
    }

    private static boolean isUnavailability(Throwable failure) {
        return switch (failure) {
            case SocketException _, ClosedConnectionException _ -> true;
            case DatabaseException database -> unavailableState(database.getSqlState());
            case SQLException sql -> unavailableState(sql.getSQLState());
            default -> PENDING_REQUESTS_FAILED.equals(failure.getMessage());
        };
    }

    private static boolean unavailableState(String sqlState) {
        return sqlState != null
                && (sqlState.startsWith(CONNECTION_EXCEPTION_CLASS) || UNAVAILABLE_STATES.contains(sqlState));
    }

    /** The 503 problem, {@code /problems/database-unavailable}, with {@code Retry-After}. */
    static Response response() {
        return Problems.builder(Response.Status.SERVICE_UNAVAILABLE, "database-unavailable", "Database unavailable",
                        "The service cannot reach its database for the moment (it is restarting or unreachable). "
                                + "Retry after " + RETRY_AFTER_SECONDS + " s, with the same Idempotency-Key where the "
                                + "request has one.", null)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
    }
}
