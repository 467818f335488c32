package io.shopflow.order.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.shopflow.order.adapter.messaging.OrderMessages;
import io.shopflow.order.adapter.persistence.IdempotencyKeys;
import io.shopflow.order.adapter.persistence.OrderStore;
import io.shopflow.order.config.OrderSettings;
import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.OrderLine;
import io.shopflow.order.domain.OrderRules;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.Tracing;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;

/**
 * Places an order: checks the rules and asks admission control, then in ONE transaction claims the
 * idempotency key, stores the PENDING order and writes its {@code OrderPlaced} message to the
 * outbox. Either all of it commits or none of it does; a refused request writes nothing.
 */
@ApplicationScoped
public class PlaceOrder {

    /** The order and whether it was placed by an earlier request with the same key. */
    public record Placement(Order order, boolean replay) {
    }

    private final Mutiny.SessionFactory sessions;
    private final OrderStore orders;
    private final IdempotencyKeys idempotencyKeys;
    private final OutboxWriter outbox;
    private final OrderMessages messages;
    private final OrderSettings settings;
    private final Admission admission;
    private final Clock clock;
    private final Counter placed;
    private final Tracer tracer;

    PlaceOrder(Mutiny.SessionFactory sessions, OrderStore orders, IdempotencyKeys idempotencyKeys, OutboxWriter outbox,
               OrderMessages messages, OrderSettings settings, Admission admission, Clock clock,
               MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.sessions = sessions;
        this.tracer = openTelemetry.getTracer("io.shopflow.order");
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.outbox = outbox;
        this.messages = messages;
        this.settings = settings;
        this.admission = admission;
        this.clock = clock;
        // Prometheus: shopflow_orders_placed_total
        this.placed = Counter.builder("shopflow.orders.placed").description("Orders accepted (PENDING)")
                .register(registry);
    }

    public Uni<Placement> place(String idempotencyKey, String customerId, List<OrderLine> lines) {
        List<OrderRules.Violation> violations = OrderRules.check(customerId, lines, settings.maxLines());
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new InvalidOrderException(violations));
        }
        String hash = requestHash(customerId, lines);
        AdmissionPolicy.Decision decision = admission.decide();
        if (!decision.accepted()) {
            return replayOrRefuse(customerId, idempotencyKey, hash, decision);
        }
        admission.count(decision);
        Order order = Order.place(customerId, lines, clock.instant());
        return Tracing.transaction(tracer, sessions, "PlaceOrder", order.id().toString(), session -> idempotencyKeys
                .claim(session, customerId, idempotencyKey, hash, order.id())
                .chain(earlier -> {
                    if (earlier.isEmpty()) {
                        return orders.insert(session, order)
                                .chain(() -> outbox.append(session, messages.placed(order)))
                                .replaceWith(new Placement(order, false));
                    }
                    return replay(session, idempotencyKey, hash, earlier.get());
                }))
                .invoke(p -> {
                    if (!p.replay()) {
                        placed.increment();
                    }
                });
    }

    /**
     * While admission control refuses new work, a key used before still gets its first answer,
     * read without writing anything: its order exists whatever the load, and a client that lost
     * the 202 must not be told otherwise (it might place the order again under a new key). A new
     * key is refused.
     */
    private Uni<Placement> replayOrRefuse(String customerId, String idempotencyKey, String hash,
                                          AdmissionPolicy.Decision refusal) {
        return sessions.withSession(session -> idempotencyKeys.find(session, customerId, idempotencyKey).chain(earlier -> {
            if (earlier.isEmpty()) {
                admission.count(refusal);
                return Uni.createFrom().failure(new OverloadedException(refusal.retryAfterSeconds()));
            }
            admission.count(AdmissionPolicy.Decision.ACCEPTED);
            return replay(session, idempotencyKey, hash, earlier.get());
        }));
    }

    /** The order an earlier request with the same key placed; a conflict if that request was a different one. */
    private Uni<Placement> replay(Mutiny.Session session, String idempotencyKey, String hash,
                                  IdempotencyKeys.Claimed earlier) {
        if (!earlier.requestHash().equals(hash)) {
            return Uni.createFrom().failure(new IdempotencyConflictException(idempotencyKey));
        }
        return orders.find(session, earlier.orderId()).map(found -> new Placement(found.orElseThrow(), true));
    }

    /**
     * SHA-256 of the request's content, to tell a replay from a different request with the same key. The customer
     * id and each line's SKU and quantity are joined with '\n' and '\0', and a '\\', '\n' or '\0' inside a value
     * is escaped first, so that two different requests never join to the same text (unescaped, a customer id or
     * SKU holding the separators could make one request's text equal another's). For every value without those
     * three characters (every SKU the rules accept, and customer ids in practice) the text is the same as before
     * escaping was added, so a key stored by the earlier version still recognises its retry.
     */
    static String requestHash(String customerId, List<OrderLine> lines) {
        StringBuilder canonical = new StringBuilder(escaped(customerId));
        lines.forEach(l -> canonical.append('\n').append(escaped(l.sku())).append('\u0000').append(l.quantity()));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\n", "\\n").replace("\u0000", "\\0");
    }
}
