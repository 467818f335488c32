package io.shopflow.order.domain;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import static io.shopflow.order.domain.OrderStatus.APPROVED;
import static io.shopflow.order.domain.OrderStatus.PENDING;
import static io.shopflow.order.domain.OrderStatus.REJECTED;
import static io.shopflow.order.domain.Transition.APPLIED;
import static io.shopflow.order.domain.Transition.IGNORED;
import static io.shopflow.order.domain.Transition.REPEATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The end of an order's saga: approve or reject, once, from PENDING only. */
class OrderTest {

    @Test
    void approvesAPendingOrderAtTheGivenTotal() {
        given().pending()
                .when(approve(2500)).expect(APPLIED)
                .inState(APPROVED).withTotal(2500L).withReason(null);
    }

    @Test
    void rejectsAPendingOrderWithItsReason() {
        for (RejectionReason reason : RejectionReason.values()) {
            given().pending()
                    .when(reject(reason)).expect(APPLIED)
                    .inState(REJECTED).withReason(reason).withTotal(null);
        }
    }

    @Test
    void aRepeatedApprovalChangesNothingAndTheFirstTotalStands() {
        given().pending()
                .when(approve(2500)).expect(APPLIED)
                .when(approve(2500)).expect(REPEATED)
                .when(approve(9999)).expect(REPEATED)
                .inState(APPROVED).withTotal(2500L);
    }

    @Test
    void aRepeatedRejectionChangesNothingAndTheFirstReasonStands() {
        given().pending()
                .when(reject(RejectionReason.OUT_OF_STOCK)).expect(APPLIED)
                .when(reject(RejectionReason.OUT_OF_STOCK)).expect(REPEATED)
                .when(reject(RejectionReason.TIMEOUT)).expect(REPEATED)
                .inState(REJECTED).withReason(RejectionReason.OUT_OF_STOCK);
    }

    @Test
    void aRejectionAfterAnApprovalIsIgnored() {
        given().pending()
                .when(approve(2500)).expect(APPLIED)
                .when(reject(RejectionReason.ABORTED)).expect(IGNORED)
                .inState(APPROVED).withTotal(2500L).withReason(null);
    }

    @Test
    void anApprovalAfterARejectionIsIgnored() {
        given().pending()
                .when(reject(RejectionReason.PAYMENT_DECLINED)).expect(APPLIED)
                .when(approve(2500)).expect(IGNORED)
                .inState(REJECTED).withReason(RejectionReason.PAYMENT_DECLINED).withTotal(null);
    }

    @Test
    void refusesANegativeTotalAndAMissingReasonWithoutChangingTheOrder() {
        Order order = Order.place("alice", List.of(new OrderLine("SKU-1", 1)), Instant.EPOCH);

        assertThatThrownBy(() -> order.approve(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> order.reject(null)).isInstanceOf(NullPointerException.class);
        assertThat(order.status()).isEqualTo(PENDING);
    }

    @Test
    void aFreeOrderCanBeApproved() {
        given().pending().when(approve(0)).expect(APPLIED).inState(APPROVED).withTotal(0L);
    }

    private static Function<Order, Transition> approve(long totalCents) {
        return order -> order.approve(totalCents);
    }

    private static Function<Order, Transition> reject(RejectionReason reason) {
        return order -> order.reject(reason);
    }

    private static Given given() {
        return new Given();
    }

    private static final class Given {

        Then pending() {
            return new Then(Order.place("alice", List.of(new OrderLine("SKU-1", 2)), Instant.EPOCH));
        }
    }

    /** Applies commands to one order and checks what each did and where the order ends. */
    private static final class Then {

        private final Order order;
        private Transition last;

        Then(Order order) {
            this.order = order;
        }

        Then when(Function<Order, Transition> command) {
            last = command.apply(order);
            return this;
        }

        Then expect(Transition transition) {
            assertThat(last).isEqualTo(transition);
            return this;
        }

        Then inState(OrderStatus status) {
            assertThat(order.status()).isEqualTo(status);
            return this;
        }

        Then withTotal(Long totalCents) {
            assertThat(order.totalCents().orElse(null)).isEqualTo(totalCents);
            return this;
        }

        Then withReason(RejectionReason reason) {
            assertThat(order.rejectionReason().orElse(null)).isEqualTo(reason);
            return this;
        }
    }
}
