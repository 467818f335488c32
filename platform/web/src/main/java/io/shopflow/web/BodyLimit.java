package io.shopflow.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request body larger than Quarkus's {@code quarkus.http.limits.max-body-size} with a 413
 * problem, whether its {@code Content-Length} says so or it comes in chunks, and closes the connection
 * (the rest of the body stays unread).
 *
 * <p>Why: Quarkus enforces that limit with a bare 413 that no exception mapper sees, in a route of its
 * own for a declared length and in its body stream for a chunked one. The same limit is checked here
 * first, without reading anything ahead: a declared length by a route just before Quarkus's, a chunked
 * body by {@link StreamedBodyLimit} while the resource reads it (Quarkus's own count, which would trip
 * first, is taken off such requests).
 */
@Singleton
class BodyLimit {

    private static final Response.Status TOO_LARGE = Response.Status.REQUEST_ENTITY_TOO_LARGE;

    private final long max;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize max) {
        this.max = max.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkDeclared);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(context -> {
            context.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
            context.next();
        });
    }

    /** Most bytes a request body may have. */
    long max() {
        return max;
    }

    /** The answer to a body above the limit, for the exception mapper and the route alike. */
    static Response tooLarge(long max) {
        return Response.status(TOO_LARGE).type(Problems.MEDIA_TYPE).entity(problem(max))
                .header(HttpHeaders.CONNECTION.toString(), HttpHeaders.CLOSE.toString()).build();
    }

    private static Problems.Problem problem(long max) {
        return Problems.problem(TOO_LARGE, "body-too-large", "The body is larger than " + max + " bytes");
    }

    private void checkDeclared(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null || declared(length) <= max) {
            context.next();
            return;
        }
        context.response().setStatusCode(TOO_LARGE.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .end(Json.encode(problem(max)));
    }

    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
