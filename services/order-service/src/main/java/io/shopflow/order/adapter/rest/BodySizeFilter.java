package io.shopflow.order.adapter.rest;

import io.shopflow.order.config.OrderSettings;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Optional;

/**
 * Refuses a body larger than {@code shopflow.orders.max-body-bytes} with a 400 problem before it
 * is read. (Bodies without Content-Length are capped by {@code quarkus.http.limits.max-body-size}.)
 */
class BodySizeFilter {

    private final OrderSettings settings;

    BodySizeFilter(OrderSettings settings) {
        this.settings = settings;
    }

    @ServerRequestFilter(preMatching = true)
    Optional<Response> limitBodySize(ContainerRequestContext request) {
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return Optional.empty();
        }
        try {
            if (Long.parseLong(length.trim()) <= settings.maxBodyBytes()) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.of(Problem.badRequest("Content-Length is not a number", List.of()));
        }
        return Optional.of(Problem.badRequest("The body is larger than " + settings.maxBodyBytes() + " bytes",
                List.of()));
    }
}
