package io.shopflow.order.application;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shopflow.order.config.OrderSettings;
import io.shopflow.order.domain.Order;
import io.shopflow.order.domain.OrderLine;
import io.shopflow.order.domain.OrderRules;
import io.shopflow.outbox.UnitsOfWork;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Places an order: checks the rules and asks admission control, then in ONE transaction claims the
 * idempotency key, stores the PENDING order and sends its {@code OrderPlaced} message (to the
 * outbox). Either all of it commits or none of it does; a refused request writes nothing.
 */
@ApplicationScoped
public class PlaceOrder {

    /** The order and whether it was placed by an earlier request with the same key. */
    public record Placement(Order order, boolean replay) {
    }

    private final UnitsOfWork unitsOfWork;
    private final OrderStore orders;
    private final IdempotencyKeys idempotencyKeys;
    private final OrderEvents events;
    private final OrderSettings settings;
    private final Admission admission;
    private final Clock clock;
    private final OrderTracing tracing;
    private final Counter placed;

    PlaceOrder(UnitsOfWork unitsOfWork, OrderStore orders, IdempotencyKeys idempotencyKeys, OrderEvents events,
               OrderSettings settings, Admission admission, Clock clock, OrderTracing tracing,
               MeterRegistry registry) {
        this.unitsOfWork = unitsOfWork;
        this.orders = orders;
        this.idempotencyKeys = idempotencyKeys;
        this.events = events;
        this.settings = settings;
        this.admission = admission;
        this.clock = clock;
        this.tracing = tracing;
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
        return tracing.inTransactionSpan("PlaceOrder", order.id(), () -> unitsOfWork.inTransaction(work ->
                        idempotencyKeys.claim(work, customerId, idempotencyKey, hash, order.id()).chain(earlier -> {
                            if (earlier.isEmpty()) {
                                return orders.insert(work, order)
                                        .chain(() -> events.placed(work, order))
                                        .replaceWith(new Placement(order, false));
                            }
                            return replay(idempotencyKey, hash, earlier.get(), id -> orders.find(work, id));
                        })))
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
        return idempotencyKeys.find(customerId, idempotencyKey).chain(earlier -> {
            if (earlier.isEmpty()) {
                admission.count(refusal);
                return Uni.createFrom().failure(new OverloadedException(refusal.retryAfterSeconds()));
            }
            admission.count(AdmissionPolicy.Decision.ACCEPTED);
            return replay(idempotencyKey, hash, earlier.get(), orders::find);
        });
    }

    /**
     * The order an earlier request with the same key placed, as {@code find} reads it; a conflict if
     * that request was a different one.
     */
    private static Uni<Placement> replay(String idempotencyKey, String hash, IdempotencyKeys.Claimed earlier,
                                         Function<UUID, Uni<Optional<Order>>> find) {
        if (!earlier.requestHash().equals(hash)) {
            return Uni.createFrom().failure(new IdempotencyConflictException(idempotencyKey));
        }
        return find.apply(earlier.orderId()).map(found -> new Placement(found.orElseThrow(), true));
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
