package io.shopflow.notification.adapter.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** RFC 7807 problem details for every error answer of the notification API. */
class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    /** The problem document. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Problem(String type, String title, int status, String detail) {
    }

    static Response badRequest(String detail) {
        return response(Response.Status.BAD_REQUEST, "invalid-request", detail);
    }

    private static Response response(Response.Status status, String slug, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(new Problem("/problems/" + slug, status.getReasonPhrase(), status.getStatusCode(), detail))
                .build();
    }

    @ServerExceptionMapper
    Response web(jakarta.ws.rs.WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        return response(status == null ? Response.Status.BAD_REQUEST : status, "http-error", e.getMessage());
    }

    @ServerExceptionMapper
    Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return response(Response.Status.INTERNAL_SERVER_ERROR, "internal-error", "The request could not be completed");
    }
}
