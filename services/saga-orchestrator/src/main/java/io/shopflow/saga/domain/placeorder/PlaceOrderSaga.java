package io.shopflow.saga.domain.placeorder;

import io.shopflow.saga.domain.DeadlinePolicy;
import io.shopflow.saga.domain.SagaHistoryEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The PlaceOrder saga of one order: reserve stock, authorize payment, approve the order; on a
 * failure, void the payment and release the stock that may be held, then reject the order.
 *
 * <p>Every method is a pure decision: it changes this object and returns the commands to send.
 * The application layer persists the new state and writes the commands to the outbox in one
 * transaction. Replies that do not belong to the current step (duplicates, late or
 * out-of-order ones) are ignored, so redelivery is harmless.
 */
public final class PlaceOrderSaga {

    private final UUID orderId;
    private final String customerId;
    private final List<OrderLine> items;
    private final Instant startedAt;
    private final List<SagaHistoryEntry<PlaceOrderStep>> history;
    private PlaceOrderStep step;
    private PlaceOrderState state;
    private RejectionReason rejectionReason;
    private long totalCents;
    private String authorizationId;
    private boolean stockMayBeHeld;
    private boolean paymentMayBeHeld;
    private int attempts;
    private int extensions;
    private Instant stepStartedAt;
    private Instant deadline;
    private Instant endedAt;

    private PlaceOrderSaga(PlaceOrderSnapshot s) {
        this.orderId = Objects.requireNonNull(s.orderId());
        this.customerId = Objects.requireNonNull(s.customerId());
        this.items = List.copyOf(s.items());
        this.startedAt = s.startedAt();
        this.history = new ArrayList<>(s.history());
        this.step = s.step();
        this.state = s.state();
        this.rejectionReason = s.rejectionReason();
        this.totalCents = s.totalCents();
        this.authorizationId = s.authorizationId();
        this.stockMayBeHeld = s.stockMayBeHeld();
        this.paymentMayBeHeld = s.paymentMayBeHeld();
        this.attempts = s.attempts();
        this.extensions = s.extensions();
        this.stepStartedAt = s.stepStartedAt();
        this.deadline = s.deadline();
        this.endedAt = s.endedAt();
    }

    /** Starts the saga for a placed order and returns it with its first command. */
    public static Started start(UUID orderId, String customerId, List<OrderLine> items, Instant now,
                                DeadlinePolicy policy) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("an order has at least one line");
        }
        PlaceOrderSaga saga = new PlaceOrderSaga(PlaceOrderSnapshot.builder().orderId(orderId).customerId(customerId)
                .items(items).startedAt(now).step(PlaceOrderStep.RESERVE_STOCK).state(PlaceOrderState.RUNNING)
                .stepStartedAt(now).build());
        saga.record(now, "order placed");
        List<PlaceOrderCommand> commands = saga.enter(PlaceOrderStep.RESERVE_STOCK, now, policy);
        return new Started(saga, commands);
    }

    /** A new saga and the commands its start sends. */
    public record Started(PlaceOrderSaga saga, List<PlaceOrderCommand> commands) {
    }

    public static PlaceOrderSaga restore(PlaceOrderSnapshot snapshot) {
        return new PlaceOrderSaga(snapshot);
    }

    public PlaceOrderSnapshot snapshot() {
        return PlaceOrderSnapshot.builder().orderId(orderId).customerId(customerId).items(items).startedAt(startedAt)
                .history(List.copyOf(history)).step(step).state(state).rejectionReason(rejectionReason)
                .totalCents(totalCents).authorizationId(authorizationId).stockMayBeHeld(stockMayBeHeld)
                .paymentMayBeHeld(paymentMayBeHeld).attempts(attempts).extensions(extensions)
                .stepStartedAt(stepStartedAt).deadline(deadline).endedAt(endedAt).build();
    }

    /** Applies {@code input}; returns the commands to send, empty when it changes nothing. */
    public List<PlaceOrderCommand> handle(PlaceOrderInput input, Instant now, DeadlinePolicy policy) {
        if (state.isFinal()) {
            return List.of();
        }
        if (input instanceof PlaceOrderInput.DeadlineExpired expired) {
            return expire(expired, now, policy).commands();
        }
        if (input instanceof PlaceOrderInput.OperatorRetry) {
            return operatorRetry(now, policy);
        }
        if (input instanceof PlaceOrderInput.OperatorAbort) {
            return canAbort() ? compensate(RejectionReason.ABORTED, "aborted by operator", now, policy) : List.of();
        }
        return reply(input, now, policy);
    }

    /**
     * An operator may abort until the pivot: once payment is authorized and the order is being
     * approved the order may already be APPROVED, and compensations run already on their own.
     */
    public boolean canAbort() {
        return !state.isFinal() && state != PlaceOrderState.COMPENSATING && !step.isCompensation()
                && step != PlaceOrderStep.APPROVE_ORDER;
    }

    private List<PlaceOrderCommand> reply(PlaceOrderInput input, Instant now, DeadlinePolicy policy) {
        switch (step) {
            case RESERVE_STOCK:
                if (input instanceof PlaceOrderInput.StockReserved reserved) {
                    totalCents = reserved.totalCents();
                    record(now, "stock reserved, total " + totalCents + " cents");
                    return enter(PlaceOrderStep.AUTHORIZE_PAYMENT, now, policy);
                }
                if (input instanceof PlaceOrderInput.StockReservationFailed failed) {
                    stockMayBeHeld = false;
                    return compensate(RejectionReason.OUT_OF_STOCK, "stock short: " + failed.shortSkus(), now, policy);
                }
                return List.of();
            case AUTHORIZE_PAYMENT:
                if (input instanceof PlaceOrderInput.PaymentAuthorized authorized) {
                    authorizationId = authorized.authorizationId();
                    record(now, "payment authorized (" + authorizationId + ")");
                    return enter(PlaceOrderStep.APPROVE_ORDER, now, policy);
                }
                if (input instanceof PlaceOrderInput.PaymentDeclined declined) {
                    paymentMayBeHeld = false;
                    RejectionReason reason = declined.unavailable()
                            ? RejectionReason.PAYMENT_UNAVAILABLE : RejectionReason.PAYMENT_DECLINED;
                    return compensate(reason, "payment declined: " + declined.detail(), now, policy);
                }
                return List.of();
            case APPROVE_ORDER:
                if (input instanceof PlaceOrderInput.OrderApproved) {
                    return finish(PlaceOrderState.APPROVED, "order approved", now);
                }
                return List.of();
            case VOID_PAYMENT:
                if (input instanceof PlaceOrderInput.PaymentVoided) {
                    paymentMayBeHeld = false;
                    record(now, "payment voided");
                    return nextCompensation(now, policy);
                }
                return List.of();
            case RELEASE_STOCK:
                if (input instanceof PlaceOrderInput.StockReleased) {
                    stockMayBeHeld = false;
                    record(now, "stock released");
                    return nextCompensation(now, policy);
                }
                return List.of();
            case REJECT_ORDER:
                if (input instanceof PlaceOrderInput.OrderRejected) {
                    return finish(PlaceOrderState.REJECTED, "order rejected", now);
                }
                return List.of();
            default:
                return List.of();
        }
    }

    /** What a passed deadline did. */
    public enum DeadlineOutcome {
        /** The deadline has not passed, or the saga is final or STUCK: nothing changed. */
        NOT_DUE,
        /** The command or its reply is still queued: the deadline moved, nothing was sent. */
        EXTENDED,
        /** The command was sent again. */
        RESENT,
        /** A resend is due but the scan has used its resends: nothing changed, a later scan resends. */
        DEFERRED,
        /** A forward step ran out of attempts: the saga compensates ({@code TIMEOUT}). */
        COMPENSATING,
        /** A compensation or the pivot ran out of attempts: the saga waits for an operator. */
        STUCK
    }

    /** A passed deadline's outcome and the commands it sends. */
    public record Expiry(DeadlineOutcome outcome, List<PlaceOrderCommand> commands) {
    }

    /**
     * Applies a passed deadline. A late command (still queued, within the step's bounded queued
     * wait) only moves the deadline; a lost one is resent, then the step gives up.
     */
    public Expiry expire(PlaceOrderInput.DeadlineExpired expired, Instant now, DeadlinePolicy policy) {
        if (state.isFinal() || state == PlaceOrderState.STUCK || deadline == null || now.isBefore(deadline)) {
            return new Expiry(DeadlineOutcome.NOT_DUE, List.of());
        }
        Instant queuedUntil = stepStartedAt.plus(policy.maxQueuedWait());
        if (expired.mayBeQueued() && now.isBefore(queuedUntil)) {
            extensions++;
            Instant extended = now.plus(policy.queuedWait(attempts, extensions));
            deadline = extended.isAfter(queuedUntil) ? queuedUntil : extended;
            // A saga may be extended many times during a long overload: the first extension and
            // then every doubling of their count tell the story without flooding the history.
            if (Integer.bitCount(extensions) == 1) {
                record(now, "deadline passed, command still queued; waiting until " + deadline
                        + " (extension " + extensions + ")");
            }
            return new Expiry(DeadlineOutcome.EXTENDED, List.of());
        }
        if (attempts < policy.maxAttempts()) {
            if (!expired.resendAllowed()) {
                return new Expiry(DeadlineOutcome.DEFERRED, List.of());
            }
            attempts++;
            deadline = now.plus(policy.waitAfter(attempts));
            record(now, "deadline passed, resent (attempt " + attempts + ")");
            return new Expiry(DeadlineOutcome.RESENT, List.of(commandFor(step)));
        }
        if (step == PlaceOrderStep.RESERVE_STOCK || step == PlaceOrderStep.AUTHORIZE_PAYMENT) {
            return new Expiry(DeadlineOutcome.COMPENSATING,
                    compensate(RejectionReason.TIMEOUT, "no reply after " + attempts + " attempts", now, policy));
        }
        state = PlaceOrderState.STUCK;
        deadline = null;
        record(now, "stuck after " + attempts + " attempts; needs an operator");
        return new Expiry(DeadlineOutcome.STUCK, List.of());
    }

    private List<PlaceOrderCommand> operatorRetry(Instant now, DeadlinePolicy policy) {
        if (state != PlaceOrderState.STUCK) {
            return List.of();
        }
        state = step.isCompensation() ? PlaceOrderState.COMPENSATING : PlaceOrderState.RUNNING;
        record(now, "retried by operator");
        return enter(step, now, policy);
    }

    private List<PlaceOrderCommand> compensate(RejectionReason reason, String why, Instant now, DeadlinePolicy policy) {
        rejectionReason = reason;
        state = PlaceOrderState.COMPENSATING;
        record(now, why + "; compensating (" + reason + ")");
        return nextCompensation(now, policy);
    }

    private List<PlaceOrderCommand> nextCompensation(Instant now, DeadlinePolicy policy) {
        if (paymentMayBeHeld) {
            return enter(PlaceOrderStep.VOID_PAYMENT, now, policy);
        }
        if (stockMayBeHeld) {
            return enter(PlaceOrderStep.RELEASE_STOCK, now, policy);
        }
        return enter(PlaceOrderStep.REJECT_ORDER, now, policy);
    }

    private List<PlaceOrderCommand> enter(PlaceOrderStep next, Instant now, DeadlinePolicy policy) {
        step = next;
        attempts = 1;
        extensions = 0;
        stepStartedAt = now;
        deadline = now.plus(policy.waitAfter(1));
        if (next == PlaceOrderStep.RESERVE_STOCK) {
            stockMayBeHeld = true;
        } else if (next == PlaceOrderStep.AUTHORIZE_PAYMENT) {
            paymentMayBeHeld = true;
        }
        PlaceOrderCommand command = commandFor(next);
        record(now, "sent " + command.getClass().getSimpleName());
        return List.of(command);
    }

    private List<PlaceOrderCommand> finish(PlaceOrderState finalState, String what, Instant now) {
        state = finalState;
        step = PlaceOrderStep.DONE;
        deadline = null;
        endedAt = now;
        record(now, what);
        return List.of();
    }

    private PlaceOrderCommand commandFor(PlaceOrderStep s) {
        switch (s) {
            case RESERVE_STOCK:
                return new PlaceOrderCommand.ReserveStock(items);
            case AUTHORIZE_PAYMENT:
                return new PlaceOrderCommand.AuthorizePayment(customerId, totalCents);
            case APPROVE_ORDER:
                return new PlaceOrderCommand.ApproveOrder(totalCents);
            case VOID_PAYMENT:
                return new PlaceOrderCommand.VoidPayment();
            case RELEASE_STOCK:
                return new PlaceOrderCommand.ReleaseStock();
            case REJECT_ORDER:
                return new PlaceOrderCommand.RejectOrder(rejectionReason);
            default:
                throw new IllegalStateException("no command in step " + s);
        }
    }

    private void record(Instant now, String event) {
        history.add(new SagaHistoryEntry<>(now, step, event));
    }

    public UUID orderId() {
        return orderId;
    }

    public String customerId() {
        return customerId;
    }

    public PlaceOrderStep step() {
        return step;
    }

    public PlaceOrderState state() {
        return state;
    }

    public Optional<RejectionReason> rejectionReason() {
        return Optional.ofNullable(rejectionReason);
    }

    public long totalCents() {
        return totalCents;
    }

    public int attempts() {
        return attempts;
    }

    public int extensions() {
        return extensions;
    }

    public Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    public List<SagaHistoryEntry<PlaceOrderStep>> history() {
        return List.copyOf(history);
    }
}
