package io.shopflow.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * RFC 7807 problem details ({@code application/problem+json}), the body of every error answer
 * of every service, and the mappers for failures no service maps itself.
 */
public class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final Logger LOG = Logger.getLogger(Problems.class);

    /** The problem document. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail) {
    }

    public static Response notFound(String detail) {
        return response(Response.Status.NOT_FOUND, "not-found", detail);
    }

    public static Response conflict(String detail) {
        return response(Response.Status.CONFLICT, "conflict", detail);
    }

    public static Response badRequest(String detail) {
        return response(Response.Status.BAD_REQUEST, "invalid-request", detail);
    }

    public static Response response(Response.Status status, String slug, String detail) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("/problems/" + slug, status.getReasonPhrase(), status.getStatusCode(), detail))
                .build();
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        if (e instanceof NotFoundException && e.getCause() instanceof IllegalArgumentException malformed) {
            // JAX-RS answers 404 when a path or query value does not convert (a UUID, a number): the resource
            // exists, the request is malformed.
            return badRequest("A path or query value is malformed: " + malformed.getMessage());
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        return response(status == null ? Response.Status.BAD_REQUEST : status, "http-" + e.getResponse().getStatus(),
                e.getMessage());
    }

    /** A role check of a resource method ({@code @RolesAllowed}) that refuses the caller: 403, as a problem. */
    @ServerExceptionMapper
    Response forbidden(io.quarkus.security.ForbiddenException e) {
        return response(Response.Status.FORBIDDEN, "forbidden", "Your token does not allow this request");
    }

    @ServerExceptionMapper
    Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return response(Response.Status.INTERNAL_SERVER_ERROR, "internal-error",
                "The request could not be completed; nothing was changed");
    }
}
