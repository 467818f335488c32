package io.shopflow.order.adapter.rest;

import io.shopflow.order.application.IdempotencyConflictException;
import io.shopflow.order.application.InvalidOrderException;
import io.shopflow.order.application.OrderNotFoundException;
import io.shopflow.order.application.OverloadedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;


/**
 * The order API's own failures as {@code application/problem+json} (with violations where the
 * request was at fault); anything else is mapped by the shared {@code io.shopflow.web.Problems}, a body that
 * is not the JSON expected among them (with a violation naming the field).
 */
class ProblemMappers {

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

    @ServerExceptionMapper
    Response conflict(IdempotencyConflictException e) {
        return Problem.response(Response.Status.CONFLICT, "idempotency-key-reused", "Idempotency-Key reused",
                e.getMessage(), null);
    }

    @ServerExceptionMapper
    Response overloaded(OverloadedException e) {
        return Problem.builder(Response.Status.SERVICE_UNAVAILABLE, "overloaded", "Too many orders in flight",
                e.getMessage(), null).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    Response notFound(OrderNotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "not-found", "Not found", e.getMessage(), null);
    }

    @ServerExceptionMapper
    Response unknownPath(NotFoundException e) {
        return Problem.response(Response.Status.NOT_FOUND, "not-found", "Not found", "No such resource", null);
    }


}
