package io.shopflow.order.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shopflow.order.domain.OrderRules;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** RFC 7807 problem details, the body of every error answer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<OrderRules.Violation> violations) {

    static final String MEDIA_TYPE = "application/problem+json";

    static Response response(Response.Status status, String slug, String title, String detail,
                             List<OrderRules.Violation> violations) {
        return builder(status, slug, title, detail, violations).build();
    }

    /** The answer, still open for headers of its own ({@code Retry-After}). */
    static Response.ResponseBuilder builder(Response.Status status, String slug, String title, String detail,
                                            List<OrderRules.Violation> violations) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("/problems/" + slug, title, status.getStatusCode(), detail, violations));
    }

    /** The body of the answer to a request larger than {@code limit} bytes. */
    static Problem bodyTooLarge(long limit) {
        return new Problem("/problems/body-too-large", "The request body is too large",
                Response.Status.BAD_REQUEST.getStatusCode(), "The body is larger than " + limit + " bytes", List.of());
    }

    static Response badRequest(String detail, List<OrderRules.Violation> violations) {
        return response(Response.Status.BAD_REQUEST, "invalid-request", "The request is not valid", detail,
                violations);
    }
}
