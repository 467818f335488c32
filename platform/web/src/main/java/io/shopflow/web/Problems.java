package io.shopflow.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticator;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * RFC 7807 problem details ({@code application/problem+json}), the body of every error answer
 * of every service, and the mappers for failures no service maps itself: a body that is not the
 * JSON expected (400, naming the field and what it must be, never a Java type), a body above the
 * {@link BodyLimit} (413), a missing or invalid token (401 with the authentication mechanism's
 * {@code WWW-Authenticate} challenge), a role check that refuses (403), JAX-RS's own failures, the
 * database away for the moment (503 with {@code Retry-After}, see {@link DatabaseUnavailable}), and
 * anything unexpected (500).
 */
public class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** The field of a violation of the body as a whole. */
    public static final String BODY = "body";

    private static final Logger LOG = Logger.getLogger(Problems.class);
    /** Longest field path a problem repeats: the names in it may come from the client. */
    private static final int MAX_FIELD_LENGTH = 100;

    /** The problem document; {@code violations} only where the request broke rules a field at a time. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String type, String title, int status, String detail, List<Violation> violations) {
    }

    /**
     * A broken rule: {@code field} is where (a JSON path such as {@code items[0].quantity}, or {@code body} for
     * the body as a whole), {@code message} what was expected there, in words for the client.
     */
    public record Violation(String field, String message) {

        /** One sentence: the field (or "The body") and what is wrong with it. */
        public String sentence() {
            return (BODY.equals(field) ? "The body" : field) + " " + message;
        }
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
        return Response.status(status).type(MEDIA_TYPE).entity(problem(status, slug, detail)).build();
    }

    /**
     * A problem with a title of its own and, where the request broke rules a field at a time, its
     * {@code violations} (null for none); still open for headers of its own ({@code Retry-After}).
     */
    public static Response.ResponseBuilder builder(Response.Status status, String slug, String title, String detail,
                                                   List<Violation> violations) {
        return Response.status(status).type(MEDIA_TYPE)
                .entity(new Problem("/problems/" + slug, title, status.getStatusCode(), detail, violations));
    }

    static Problem problem(Response.Status status, String slug, String detail) {
        return new Problem("/problems/" + slug, status.getReasonPhrase(), status.getStatusCode(), detail, null);
    }

    /**
     * Describes a body Jackson could not read. Jackson's own messages name Java types and
     * internals ({@code java.lang.Integer}, {@code StreamReadConstraints}); this says which field, where
     * in the text, and what JSON was expected there.
     */
    private static Violation bodyViolation(JsonProcessingException e) {
        return switch (e) {
            case InputCoercionException c -> violation(field(c), "is out of range: it "
                    + expected(c.getTargetType()) + at(c.getLocation()));
            case StreamConstraintsException c -> violation(null,
                    "is nested too deeply or holds a number or text too long to read");
            case StreamReadException r -> violation(null, "is not valid JSON" + at(r.getLocation()));
            case MismatchedInputException m -> violation(field(m.getPath()), expected(m.getTargetType())
                    + at(m.getLocation()));
            case JsonMappingException m -> inField(field(m.getPath()), m);
            default -> violation(null, "could not be read as JSON" + at(e.getLocation()));
        };
    }

    private static Violation violation(String field, String message) {
        return new Violation(field == null ? BODY : field, message);
    }

    /** Jackson wraps a failure of the parser inside a field's value with the field's path. */
    private static Violation inField(String field, JsonMappingException wrapper) {
        if (wrapper.getCause() instanceof JsonProcessingException cause) {
            Violation inner = bodyViolation(cause);
            return violation(field == null ? inner.field() : field, inner.message());
        }
        return violation(field, "has a value that cannot be read" + at(wrapper.getLocation()));
    }

    @ServerExceptionMapper({JsonProcessingException.class, MismatchedInputException.class})
    Response unreadableBody(JsonProcessingException e) {
        if (e instanceof InvalidDefinitionException) {
            // A type the application cannot bind: its fault, not the client's.
            return unexpected(e);
        }
        Violation violation = bodyViolation(e);
        return Response.status(Response.Status.BAD_REQUEST).type(MEDIA_TYPE)
                .entity(new Problem("/problems/invalid-request", Response.Status.BAD_REQUEST.getReasonPhrase(),
                        Response.Status.BAD_REQUEST.getStatusCode(), violation.sentence(), List.of(violation)))
                .build();
    }

    /** A chunked body that grew past the {@link BodyLimit} while it was read: 413, the connection closed. */
    @ServerExceptionMapper
    Response bodyTooLarge(StreamedBodyLimit.BodyTooLargeException e) {
        return BodyLimit.tooLarge(e.limit());
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        if (e instanceof NotFoundException && e.getCause() instanceof IllegalArgumentException malformed) {
            // JAX-RS answers 404 when a path or query value does not convert (a UUID, a number): the resource
            // exists, the request is malformed.
            return badRequest("A path or query value is malformed: " + malformed.getMessage());
        }
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            // Quarkus REST wraps JSON syntax errors in a bare 400.
            return unreadableBody(unreadable);
        }
        Response.Status status = Response.Status.fromStatusCode(e.getResponse().getStatus());
        return response(status == null ? Response.Status.BAD_REQUEST : status, "http-" + e.getResponse().getStatus(),
                e.getMessage());
    }

    /** No token: 401 with the challenge, as a problem. */
    @ServerExceptionMapper
    Uni<Response> unauthenticated(RoutingContext context, UnauthorizedException e) {
        return challenge(context, "This request needs a bearer token (Authorization: Bearer <JWT>)");
    }

    /** A token that is malformed, expired, wrongly signed or from another issuer: 401 with the challenge. */
    @ServerExceptionMapper
    Uni<Response> badToken(RoutingContext context, AuthenticationFailedException e) {
        return challenge(context, "The bearer token is not valid: malformed, expired, not signed by a trusted key "
                + "or from another issuer");
    }

    /** A role check of a resource method ({@code @RolesAllowed}) that refuses the caller: 403, as a problem. */
    @ServerExceptionMapper
    Response forbidden(io.quarkus.security.ForbiddenException e) {
        return response(Response.Status.FORBIDDEN, "forbidden", "Your token does not allow this request");
    }

    /**
     * Anything no other mapper takes: a 503 with {@code Retry-After} when the database is away for the
     * moment ({@link DatabaseUnavailable}), otherwise a bug: 500, logged with its stack trace.
     */
    @ServerExceptionMapper
    Response unexpected(Exception e) {
        Optional<Throwable> unavailable = DatabaseUnavailable.in(e);
        if (unavailable.isPresent()) {
            // One line, no stack trace: an outage answers every request this way until the database is back.
            LOG.warnf("Database unavailable, answered 503: %s", unavailable.get());
            return DatabaseUnavailable.response();
        }
        LOG.error("Unexpected failure", e);
        return response(Response.Status.INTERNAL_SERVER_ERROR, "internal-error",
                "The request could not be completed; nothing was changed");
    }

    /** 401 with the headers of the authentication mechanism's challenge ({@code WWW-Authenticate: Bearer}). */
    private static Uni<Response> challenge(RoutingContext context, String detail) {
        HttpAuthenticator authenticator = context.get(HttpAuthenticator.class.getName());
        Uni<ChallengeData> challenge = authenticator == null ? Uni.createFrom().nullItem()
                : authenticator.getChallenge(context);
        return challenge.map(data -> {
            Response.ResponseBuilder answer = Response.status(Response.Status.UNAUTHORIZED).type(MEDIA_TYPE)
                    .entity(problem(Response.Status.UNAUTHORIZED, "unauthorized", detail));
            if (data != null) {
                data.getHeaders().forEach((name, value) -> answer.header(name.toString(), value));
            }
            return answer.build();
        });
    }

    /** The path of a field a mapping failed at, {@code items[0].quantity}; null for the body as a whole. */
    private static String field(List<JsonMappingException.Reference> path) {
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference step : path) {
            if (step.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(step.getFieldName());
            } else if (step.getIndex() >= 0) {
                field.append('[').append(step.getIndex()).append(']');
            }
        }
        return shortened(field);
    }

    /** The path the parser stood at when a number did not fit. */
    private static String field(InputCoercionException e) {
        if (!(e.getProcessor() instanceof JsonParser parser)) {
            return null;
        }
        Deque<String> steps = new ArrayDeque<>();
        for (JsonStreamContext at = parser.getParsingContext(); at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                steps.push("[" + at.getCurrentIndex() + "]");
            } else if (at.getCurrentName() != null) {
                steps.push("." + at.getCurrentName());
            }
        }
        String field = String.join("", steps);
        return shortened(new StringBuilder(field.startsWith(".") ? field.substring(1) : field));
    }

    private static String shortened(StringBuilder field) {
        if (field.isEmpty()) {
            return null;
        }
        String printable = field.toString().replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_FIELD_LENGTH ? printable : printable.substring(0, MAX_FIELD_LENGTH) + "...";
    }

    /** What JSON a Java type is read from, as the client writes it. */
    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == int.class || type == Integer.class) {
            return "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == long.class || type == Long.class) {
            return "must be a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type == short.class || type == Short.class || type == byte.class || type == Byte.class
                || type == BigInteger.class) {
            return "must be a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "must be a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "must be true or false";
        }
        if (type == UUID.class) {
            return "must be a UUID";
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.toString(type.getEnumConstants());
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class
                || Temporal.class.isAssignableFrom(type)) {
            return "must be a string";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        return "must be an object";
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? ""
                : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
