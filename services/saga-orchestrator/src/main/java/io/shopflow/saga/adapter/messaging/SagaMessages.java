package io.shopflow.saga.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.inventory.ReleaseStock;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.contracts.inventory.StockReleased;
import io.shopflow.contracts.inventory.StockReservationFailed;
import io.shopflow.contracts.inventory.StockReserved;
import io.shopflow.contracts.order.ApproveOrder;
import io.shopflow.contracts.order.OrderApproved;
import io.shopflow.contracts.order.OrderRejected;
import io.shopflow.contracts.order.RejectOrder;
import io.shopflow.contracts.payment.AuthorizePayment;
import io.shopflow.contracts.payment.PaymentAuthorized;
import io.shopflow.contracts.payment.PaymentDeclined;
import io.shopflow.contracts.payment.PaymentVoided;
import io.shopflow.contracts.payment.VoidPayment;
import io.shopflow.contracts.common.OrderOutcome;
import io.shopflow.contracts.order.OrderPlaced;
import io.shopflow.contracts.saga.SagaCompleted;
import io.shopflow.outbox.Metadata;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.outbox.OutboxWriter;
import io.shopflow.outbox.UnitOfWork;
import io.shopflow.saga.application.OutgoingMessages;
import io.shopflow.saga.domain.placeorder.OrderLine;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.RejectionReason;
import io.shopflow.saga.domain.placeorder.PlaceOrderState;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The boundary between the saga and the Avro contracts, both ways: participants' replies become
 * {@link PlaceOrderInput}s, and as the {@link OutgoingMessages} port the saga's
 * {@link PlaceOrderCommand}s become Avro commands on their owners' command topics, appended to the
 * outbox of the caller's unit of work. Avro never crosses into the application or the domain.
 */
@ApplicationScoped
class SagaMessages implements OutgoingMessages {

    static final String AGGREGATE_TYPE = "PlaceOrderSaga";

    private final OutboxWriter outbox;

    SagaMessages(OutboxWriter outbox) {
        this.outbox = outbox;
    }

    @Override
    public Uni<Void> send(UnitOfWork work, UUID orderId, List<PlaceOrderCommand> commands, String causationId,
                          Instant now) {
        return outbox.appendAll(work.session(), commands.stream()
                .map(c -> command(orderId, c, causationId, now)).toList());
    }

    @Override
    public Uni<Void> completed(UnitOfWork work, PlaceOrderSaga saga, Duration took, String causationId,
                               Instant now) {
        return outbox.append(work.session(), sagaCompleted(saga, took, causationId, now));
    }

    /** The saga input a reply stands for; empty for messages the saga does not react to. */
    static Optional<PlaceOrderInput> toInput(SpecificRecord message) {
        if (message instanceof StockReserved m) {
            return Optional.of(new PlaceOrderInput.StockReserved(m.getTotalCents()));
        }
        if (message instanceof StockReservationFailed m) {
            return Optional.of(new PlaceOrderInput.StockReservationFailed(List.copyOf(m.getShortSkus())));
        }
        if (message instanceof StockReleased) {
            return Optional.of(new PlaceOrderInput.StockReleased());
        }
        if (message instanceof PaymentAuthorized m) {
            return Optional.of(new PlaceOrderInput.PaymentAuthorized(m.getAuthorizationId(), m.getAmountCents()));
        }
        if (message instanceof PaymentDeclined m) {
            boolean unavailable = m.getReason() == io.shopflow.contracts.common.RejectionReason.PAYMENT_UNAVAILABLE;
            return Optional.of(new PlaceOrderInput.PaymentDeclined(unavailable, m.getDetail()));
        }
        if (message instanceof PaymentVoided) {
            return Optional.of(new PlaceOrderInput.PaymentVoided());
        }
        if (message instanceof OrderApproved) {
            return Optional.of(new PlaceOrderInput.OrderApproved());
        }
        if (message instanceof OrderRejected) {
            return Optional.of(new PlaceOrderInput.OrderRejected());
        }
        return Optional.empty();
    }

    /** The outbox message of a command: the Avro command on its owner's command topic, keyed by order. */
    static OutboxMessage command(UUID orderId, PlaceOrderCommand command, String causationId, Instant now) {
        Map.Entry<String, SpecificRecord> m = toAvro(orderId, command, causationId, now);
        return new OutboxMessage(AGGREGATE_TYPE, orderId.toString(), m.getKey(), m.getValue());
    }

    /** {@code SagaCompleted} on the orchestrator's event topic. */
    static OutboxMessage sagaCompleted(PlaceOrderSaga saga, Duration took, String causationId, Instant now) {
        SagaCompleted event = SagaCompleted.newBuilder()
                .setMetadata(metadata(saga.orderId(), causationId, now))
                .setOrderId(saga.orderId())
                .setOutcome(saga.state() == PlaceOrderState.APPROVED ? OrderOutcome.APPROVED : OrderOutcome.REJECTED)
                .setReason(saga.rejectionReason().map(SagaMessages::toAvro).orElse(null))
                .setDurationMillis(took.toMillis())
                .build();
        return new OutboxMessage(AGGREGATE_TYPE, saga.orderId().toString(), Topics.SAGA_EVENTS, event);
    }

    /** The order lines of a placed order, for starting its saga. */
    static List<OrderLine> lines(OrderPlaced placed) {
        return placed.getItems().stream().map(l -> new OrderLine(l.getSku(), l.getQuantity())).toList();
    }

    private static MessageMetadata metadata(UUID orderId, String causationId, Instant now) {
        return Metadata.newMessage(orderId.toString(), causationId, now);
    }

    static Map.Entry<String, SpecificRecord> toAvro(UUID orderId, PlaceOrderCommand command, String causationId,
                                                    Instant now) {
        MessageMetadata metadata = metadata(orderId, causationId, now);
        if (command instanceof PlaceOrderCommand.ReserveStock c) {
            return Map.entry(Topics.INVENTORY_COMMANDS, ReserveStock.newBuilder().setMetadata(metadata)
                    .setOrderId(orderId).setItems(c.items().stream()
                            .map(l -> new io.shopflow.contracts.common.OrderLine(l.sku(), l.quantity()))
                            .collect(Collectors.toList())).build());
        }
        if (command instanceof PlaceOrderCommand.ReleaseStock) {
            return Map.entry(Topics.INVENTORY_COMMANDS,
                    ReleaseStock.newBuilder().setMetadata(metadata).setOrderId(orderId).build());
        }
        if (command instanceof PlaceOrderCommand.AuthorizePayment c) {
            return Map.entry(Topics.PAYMENT_COMMANDS, AuthorizePayment.newBuilder().setMetadata(metadata)
                    .setOrderId(orderId).setCustomerId(c.customerId()).setAmountCents(c.amountCents()).build());
        }
        if (command instanceof PlaceOrderCommand.VoidPayment) {
            return Map.entry(Topics.PAYMENT_COMMANDS,
                    VoidPayment.newBuilder().setMetadata(metadata).setOrderId(orderId).build());
        }
        if (command instanceof PlaceOrderCommand.ApproveOrder c) {
            return Map.entry(Topics.ORDER_COMMANDS, ApproveOrder.newBuilder().setMetadata(metadata)
                    .setOrderId(orderId).setTotalCents(c.totalCents()).build());
        }
        if (command instanceof PlaceOrderCommand.RejectOrder c) {
            return Map.entry(Topics.ORDER_COMMANDS, RejectOrder.newBuilder().setMetadata(metadata)
                    .setOrderId(orderId).setReason(toAvro(c.reason())).build());
        }
        throw new IllegalArgumentException("unmapped command " + command);
    }

    private static io.shopflow.contracts.common.RejectionReason toAvro(RejectionReason reason) {
        return io.shopflow.contracts.common.RejectionReason.valueOf(reason.name());
    }
}
