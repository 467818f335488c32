package io.shopflow.order.adapter.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shopflow.order.config.OrderSettings;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

/**
 * Refuses a request whose {@code Content-Length} is above {@code shopflow.orders.max-body-bytes}
 * with a 400 problem, without reading the body.
 *
 * <p>Why a Vert.x route and not a JAX-RS filter: Quarkus checks {@code quarkus.http.limits.max-body-size}
 * in a route of its own (order {@code -2}) and answers a bare 413 there, before any filter or
 * exception mapper runs. This route runs just before it. Bodies sent without a length are
 * counted while they are read, by {@link StreamedBodyLimit}.
 */
@Singleton
class DeclaredBodyLimit {

    /** Before Quarkus's {@code RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT} (-2). */
    static final int ROUTE_ORDER = -3;

    private final OrderSettings settings;
    private final ObjectMapper json;

    DeclaredBodyLimit(OrderSettings settings, ObjectMapper json) {
        this.settings = settings;
        this.json = json;
    }

    void install(@Observes Router router) {
        router.route().order(ROUTE_ORDER).handler(this::check);
    }

    private void check(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            context.next();
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            declared = Long.MAX_VALUE;
        }
        if (declared <= settings.maxBodyBytes()) {
            context.next();
            return;
        }
        Problem problem = Problem.bodyTooLarge(settings.maxBodyBytes());
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            context.fail(e);
            return;
        }
        // The unread body stays on the wire: close the connection after the answer.
        context.response()
                .setStatusCode(Response.Status.BAD_REQUEST.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                .end(body);
    }
}
