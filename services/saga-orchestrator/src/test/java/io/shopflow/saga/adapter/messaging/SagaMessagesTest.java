package io.shopflow.saga.adapter.messaging;

import io.shopflow.contracts.Topics;
import io.shopflow.contracts.common.MessageMetadata;
import io.shopflow.contracts.inventory.ReserveStock;
import io.shopflow.contracts.order.RejectOrder;
import io.shopflow.contracts.payment.PaymentDeclined;
import io.shopflow.contracts.serde.CatalogSerde;
import io.shopflow.outbox.OutboxMessage;
import io.shopflow.saga.domain.placeorder.OrderLine;
import io.shopflow.saga.domain.placeorder.RejectionReason;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SagaMessagesTest {

    private final UUID orderId = UUID.randomUUID();
    private final Instant now = Instant.parse("2026-01-01T10:00:00Z");

    @Test
    void mapsEveryCommandToItsOwnersTopicWithMetadata() {
        OutboxMessage reserve = SagaMessages.command(orderId,
                new PlaceOrderCommand.ReserveStock(List.of(new OrderLine("SKU-1", 2))), "cause-1", now);

        assertThat(reserve.topic()).isEqualTo(Topics.INVENTORY_COMMANDS);
        ReserveStock message = (ReserveStock) reserve.message();
        assertThat(message.getOrderId()).isEqualTo(orderId);
        assertThat(message.getItems()).hasSize(1);
        assertThat(message.getMetadata().getCorrelationId()).isEqualTo(orderId.toString());
        assertThat(message.getMetadata().getCausationId()).isEqualTo("cause-1");
        assertThat(message.getMetadata().getOccurredAt()).isEqualTo(now);
        assertThat(reserve.aggregateId()).isEqualTo(orderId.toString());

        assertThat(SagaMessages.command(orderId, new PlaceOrderCommand.ReleaseStock(), null, now).topic())
                .isEqualTo(Topics.INVENTORY_COMMANDS);
        assertThat(SagaMessages.command(orderId, new PlaceOrderCommand.AuthorizePayment("alice", 5), null, now).topic())
                .isEqualTo(Topics.PAYMENT_COMMANDS);
        assertThat(SagaMessages.command(orderId, new PlaceOrderCommand.VoidPayment(), null, now).topic())
                .isEqualTo(Topics.PAYMENT_COMMANDS);
        assertThat(SagaMessages.command(orderId, new PlaceOrderCommand.ApproveOrder(5), null, now).topic())
                .isEqualTo(Topics.ORDER_COMMANDS);
        OutboxMessage reject = SagaMessages.command(orderId, new PlaceOrderCommand.RejectOrder(RejectionReason.TIMEOUT),
                null, now);
        assertThat(((RejectOrder) reject.message()).getReason())
                .isEqualTo(io.shopflow.contracts.common.RejectionReason.TIMEOUT);
    }

    @Test
    void everyOutgoingCommandEncodesInTheCatalog() {
        CatalogSerde serde = new CatalogSerde();
        for (PlaceOrderCommand command : List.of(new PlaceOrderCommand.ReserveStock(List.of(new OrderLine("S", 1))),
                new PlaceOrderCommand.ReleaseStock(), new PlaceOrderCommand.AuthorizePayment("c", 1), new PlaceOrderCommand.VoidPayment(),
                new PlaceOrderCommand.ApproveOrder(1), new PlaceOrderCommand.RejectOrder(RejectionReason.ABORTED))) {
            OutboxMessage out = SagaMessages.command(orderId, command, null, now);
            assertThat(serde.deserialize(out.topic(), serde.serialize(out.topic(), out.message())))
                    .isEqualTo(out.message());
        }
    }

    @Test
    void tellsAProviderOutageFromARefusal() {
        PaymentDeclined unavailable = PaymentDeclined.newBuilder().setMetadata(metadata()).setOrderId(orderId)
                .setReason(io.shopflow.contracts.common.RejectionReason.PAYMENT_UNAVAILABLE).setDetail("open").build();
        PaymentDeclined refused = PaymentDeclined.newBuilder(unavailable)
                .setReason(io.shopflow.contracts.common.RejectionReason.PAYMENT_DECLINED).build();

        assertThat(SagaMessages.toInput(unavailable)).contains(new PlaceOrderInput.PaymentDeclined(true, "open"));
        assertThat(SagaMessages.toInput(refused)).contains(new PlaceOrderInput.PaymentDeclined(false, "open"));
    }

    @Test
    void ignoresMessagesTheSagaDoesNotAwait() {
        assertThat(SagaMessages.toInput(ReserveStock.newBuilder().setMetadata(metadata()).setOrderId(orderId)
                .setItems(List.of()).build())).isEmpty();
    }

    private MessageMetadata metadata() {
        return MessageMetadata.newBuilder().setMessageId(UUID.randomUUID()).setCorrelationId(orderId.toString())
                .setOccurredAt(now).build();
    }
}
