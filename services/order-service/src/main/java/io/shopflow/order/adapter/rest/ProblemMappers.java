package io.shopflow.order.adapter.rest;

import io.shopflow.order.application.IdempotencyConflictException;
import io.shopflow.order.application.InvalidOrderException;
import io.shopflow.order.application.OrderNotFoundException;
import io.shopflow.order.application.OverloadedException;
import io.shopflow.order.domain.OrderRules;
import io.shopflow.web.Problems;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;


/**
 * The order API's own failures as {@code application/problem+json} documents of the shared
 * {@code io.shopflow.web.Problems} (with violations where the request was at fault); anything else is mapped
 * there too, a body that is not the JSON expected or is too large among them.
 */
class ProblemMappers {

    @ServerExceptionMapper
    Response invalidOrder(InvalidOrderException e) {
        return badRequest(e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    Response invalidQuery(InvalidQueryException e) {
        return badRequest(e.getMessage(), e.violations());
    }

    @ServerExceptionMapper
    Response conflict(IdempotencyConflictException e) {
        return Problems.builder(Response.Status.CONFLICT, "idempotency-key-reused", "Idempotency-Key reused",
                e.getMessage(), null).build();
    }

    @ServerExceptionMapper
    Response overloaded(OverloadedException e) {
        return Problems.builder(Response.Status.SERVICE_UNAVAILABLE, "overloaded", "Too many orders in flight",
                e.getMessage(), null).header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds()).build();
    }

    @ServerExceptionMapper
    Response notFound(OrderNotFoundException e) {
        return Problems.builder(Response.Status.NOT_FOUND, "not-found", "Not found", e.getMessage(), null).build();
    }

    @ServerExceptionMapper
    Response unknownPath(NotFoundException e) {
        return Problems.builder(Response.Status.NOT_FOUND, "not-found", "Not found", "No such resource", null).build();
    }

    private static Response badRequest(String detail, List<OrderRules.Violation> violations) {
        return Problems.builder(Response.Status.BAD_REQUEST, "invalid-request", "The request is not valid", detail,
                violations.stream().map(v -> new Problems.Violation(v.field(), v.message())).toList()).build();
    }
}
