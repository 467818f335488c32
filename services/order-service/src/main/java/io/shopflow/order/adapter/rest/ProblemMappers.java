package io.shopflow.order.adapter.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.shopflow.order.application.IdempotencyConflictException;
import io.shopflow.order.application.InvalidOrderException;
import io.shopflow.order.application.OrderNotFoundException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** The one place where failures become HTTP answers, all as {@code application/problem+json}. */
class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    Response invalidOrder(InvalidOrderException e) {
        return Problem.badRequest(e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    Response invalidQuery(InvalidQueryException e) {
        return Problem.badRequest(e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    Response bodyTooLarge(BodyTooLargeException e) {
        // The rest of the body is unread: close the connection after the answer.
        return Response.status(Response.Status.BAD_REQUEST).type(Problem.MEDIA_TYPE)
                .entity(Problem.bodyTooLarge(e.limit())).header("Connection", "close").build();
    }

    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    Response malformedJson(JsonProcessingException e) {
        return Problem.badRequest("The body is not a valid order document: " + e.getOriginalMessage(), List.of());
    }

    @ServerExceptionMapper
    Response conflict(IdempotencyConflictException e) {
        return Problem.response(Response.Status.CONFLICT, "idempotency-key-reused", "Idempotency-Key reused",
                e.getMessage(), null);
    }

    @ServerExceptionMapper
    Response notFound(OrderNotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "not-found", "Not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    Response unknownPath(NotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "not-found", "Not found", "No such resource", null);
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        if (status == null) {
            status = Response.Status.BAD_REQUEST;
        }
        return Problem.response(status, "http-" + status.getStatusCode(), status.getReasonPhrase(), e.getMessage(),
                null);
    }

    @ServerExceptionMapper
    Response unexpected(Exception e) {
        LOG.error("Unexpected failure", e);
        return Problem.response(Response.Status.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The request could not be completed; nothing was changed", null);
    }
}
