package io.shopflow.saga.domain.placeorder;

import io.shopflow.saga.domain.SagaHistoryEntry;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga.DeadlineOutcome;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand.ApproveOrder;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand.AuthorizePayment;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand.RejectOrder;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand.ReleaseStock;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand.ReserveStock;
import io.shopflow.saga.domain.placeorder.PlaceOrderCommand.VoidPayment;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.DeadlineExpired;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.OperatorAbort;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.OperatorRetry;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.OrderApproved;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.OrderRejected;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.PaymentAuthorized;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.PaymentDeclined;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.PaymentVoided;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.StockReleased;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.StockReservationFailed;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput.StockReserved;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.shopflow.saga.domain.placeorder.PlaceOrderSagaFixture.ITEMS;
import static io.shopflow.saga.domain.placeorder.PlaceOrderSagaFixture.given;
import static org.assertj.core.api.Assertions.assertThat;

class PlaceOrderSagaTest {

    private static final StockReserved RESERVED = new StockReserved(2500);
    private static final PaymentAuthorized AUTHORIZED = new PaymentAuthorized("auth-1", 2500);

    @Test
    void startsByReservingStock() {
        given().placed()
                .expect(new ReserveStock(ITEMS))
                .inState(PlaceOrderState.RUNNING, PlaceOrderStep.RESERVE_STOCK)
                .deadlineIn(Duration.ofSeconds(10));
    }

    @Test
    void approvesOrderWhenStockAndPaymentSucceed() {
        given().placed()
                .when(RESERVED).expect(new AuthorizePayment("alice", 2500))
                .when(AUTHORIZED).expect(new ApproveOrder(2500))
                .when(new OrderApproved()).expectNothing()
                .inState(PlaceOrderState.APPROVED, PlaceOrderStep.DONE);
    }

    @Test
    void rejectsOrderWhenStockIsShortWithoutReleasingAnything() {
        given().placed()
                .when(new StockReservationFailed(List.of("SKU-2")))
                .expect(new RejectOrder(RejectionReason.OUT_OF_STOCK))
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.REJECT_ORDER)
                .when(new OrderRejected()).expectNothing()
                .inState(PlaceOrderState.REJECTED, PlaceOrderStep.DONE)
                .rejectedFor(RejectionReason.OUT_OF_STOCK);
    }

    @Test
    void releasesStockThenRejectsWhenPaymentIsDeclined() {
        given().placed().and(RESERVED)
                .when(new PaymentDeclined(false, "over credit limit"))
                .expect(new ReleaseStock())
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK)
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.PAYMENT_DECLINED))
                .when(new OrderRejected())
                .inState(PlaceOrderState.REJECTED, PlaceOrderStep.DONE);
    }

    @Test
    void rejectsAsPaymentUnavailableWhenTheProviderCannotBeReached() {
        given().placed().and(RESERVED)
                .when(new PaymentDeclined(true, "circuit open"))
                .expect(new ReleaseStock())
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.PAYMENT_UNAVAILABLE));
    }

    @Test
    void resendsWithGrowingWaitsThenCompensatesWhenInventoryStaysSilent() {
        given().placed()
                .whenDeadlinePasses().expect(new ReserveStock(ITEMS)).attempts(2).deadlineIn(Duration.ofSeconds(20))
                .whenDeadlinePasses().expect(new ReserveStock(ITEMS)).attempts(3).deadlineIn(Duration.ofSeconds(40))
                // The reservation may have happened with its reply lost: release before rejecting.
                .whenDeadlinePasses().expect(new ReleaseStock())
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK)
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.TIMEOUT))
                .when(new OrderRejected()).inState(PlaceOrderState.REJECTED, PlaceOrderStep.DONE);
    }

    @Test
    void voidsAndReleasesWhenPaymentStaysSilent() {
        given().placed().and(RESERVED)
                .whenDeadlinePasses().expect(new AuthorizePayment("alice", 2500))
                .whenDeadlinePasses().expect(new AuthorizePayment("alice", 2500))
                .whenDeadlinePasses().expect(new VoidPayment())
                .when(new PaymentVoided()).expect(new ReleaseStock())
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.TIMEOUT));
    }

    @Test
    void aLateReplyWithinThePolicyIsNotATimeout() {
        given().placed()
                // Still queued: the deadline moves by the current wait, then by doubling waits; no resend, no attempt used.
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.EXTENDED).expectNothing().attempts(1)
                .deadlineIn(Duration.ofSeconds(10))
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.EXTENDED).expectNothing().attempts(1)
                .deadlineIn(Duration.ofSeconds(20))
                .inState(PlaceOrderState.RUNNING, PlaceOrderStep.RESERVE_STOCK)
                .when(RESERVED).expect(new AuthorizePayment("alice", 2500))
                .inState(PlaceOrderState.RUNNING, PlaceOrderStep.AUTHORIZE_PAYMENT).attempts(1);
    }

    @Test
    void waitsForAQueuedCommandAtMostTheMaxQueuedWaitThenResendsAndCompensates() {
        PlaceOrderSagaFixture saga = given().placed()
                .whenDeadlinePassesWhileQueued().deadlineAfterStepStart(Duration.ofSeconds(20))
                .whenDeadlinePassesWhileQueued().deadlineAfterStepStart(Duration.ofSeconds(40))
                .whenDeadlinePassesWhileQueued().deadlineAfterStepStart(Duration.ofSeconds(80))
                // 80 s + 60 s (the cap) would pass the 2 min bound: the deadline stops at the bound.
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.EXTENDED)
                .deadlineAfterStepStart(Duration.ofMinutes(2)).attempts(1)
                // Past the bound a queued command is treated as lost: resent, then compensated.
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.RESENT).expect(new ReserveStock(ITEMS))
                .attempts(2).deadlineIn(Duration.ofSeconds(20))
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.RESENT).attempts(3)
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.COMPENSATING).expect(new ReleaseStock())
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK)
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.TIMEOUT));

        // Four extensions, three history lines: the first, then one each time their count doubles.
        assertThat(saga.saga().history()).extracting(SagaHistoryEntry::event)
                .filteredOn(e -> e.contains("still queued")).hasSize(3);
        assertThat(saga.saga().extensions()).isZero();
    }

    @Test
    void resendsALostCommandWithJitteredBackoffThenCompensatesWithTimeout() {
        double[] draws = {0.5, 0.999};
        int[] next = {0};
        given(PlaceOrderSagaFixture.policy(() -> draws[next[0]++])).placed()
                // 20 s less up to half of it (equal jitter): 20 - 20 * 0.5 * 0.5 = 15 s.
                .whenDeadlinePasses().outcome(DeadlineOutcome.RESENT).expect(new ReserveStock(ITEMS)).attempts(2)
                .deadlineIn(Duration.ofSeconds(15))
                // 40 s less 40 * 0.5 * 0.999 = 20.02 s, never below half of the un-jittered wait.
                .whenDeadlinePasses().outcome(DeadlineOutcome.RESENT).expect(new ReserveStock(ITEMS)).attempts(3)
                .deadlineIn(Duration.ofMillis(20_020))
                .whenDeadlinePasses().outcome(DeadlineOutcome.COMPENSATING).expect(new ReleaseStock())
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.TIMEOUT))
                .when(new OrderRejected()).inState(PlaceOrderState.REJECTED, PlaceOrderStep.DONE)
                .rejectedFor(RejectionReason.TIMEOUT);
    }

    @Test
    void aResendBeyondTheScansCapWaitsForALaterScan() {
        given().placed()
                .whenDeadlinePassesWithNoResendLeft().outcome(DeadlineOutcome.DEFERRED).expectNothing().attempts(1)
                .deadlineIn(Duration.ZERO)
                .whenDeadlinePasses().outcome(DeadlineOutcome.RESENT).expect(new ReserveStock(ITEMS)).attempts(2)
                .whenDeadlinePasses().attempts(3)
                // Compensation is how a saga ends: the cap on resends never holds it back.
                .whenDeadlinePassesWithNoResendLeft().outcome(DeadlineOutcome.COMPENSATING)
                .expect(new ReleaseStock());
    }

    @Test
    void aQueuedCompensationWaitsToo() {
        given().placed().and(RESERVED, new PaymentDeclined(false, "no"))
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK)
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.EXTENDED).expectNothing().attempts(1)
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.PAYMENT_DECLINED));
    }

    @Test
    void aNewStepGetsItsOwnQueuedWait() {
        given().placed()
                .whenDeadlinePassesWhileQueued().whenDeadlinePassesWhileQueued().whenDeadlinePassesWhileQueued()
                .when(RESERVED).inState(PlaceOrderState.RUNNING, PlaceOrderStep.AUTHORIZE_PAYMENT)
                .deadlineAfterStepStart(Duration.ofSeconds(10))
                .whenDeadlinePassesWhileQueued().outcome(DeadlineOutcome.EXTENDED)
                .deadlineAfterStepStart(Duration.ofSeconds(20));
    }

    @Test
    void doesNothingBeforeTheDeadline() {
        given().placed()
                .after(Duration.ofSeconds(9)).when(new DeadlineExpired(false, true)).expectNothing().attempts(1);
    }

    @Test
    void retriesACompensationThenWaitsForAnOperatorWhenItStaysSilent() {
        PlaceOrderSagaFixture saga = given().placed().and(RESERVED, new PaymentDeclined(false, "no"))
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK)
                .whenDeadlinePasses().expect(new ReleaseStock()).attempts(2)
                .whenDeadlinePasses().expect(new ReleaseStock()).attempts(3)
                .whenDeadlinePasses().expectNothing()
                .inState(PlaceOrderState.STUCK, PlaceOrderStep.RELEASE_STOCK);

        saga.when(new DeadlineExpired(false, true)).expectNothing()
                .when(new OperatorRetry()).expect(new ReleaseStock()).attempts(1)
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK)
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.PAYMENT_DECLINED));
    }

    @Test
    void acceptsTheAwaitedReplyWhileStuck() {
        given().placed().and(RESERVED, AUTHORIZED)
                .whenDeadlinePasses().whenDeadlinePasses().whenDeadlinePasses()
                .inState(PlaceOrderState.STUCK, PlaceOrderStep.APPROVE_ORDER)
                .when(new OrderApproved()).inState(PlaceOrderState.APPROVED, PlaceOrderStep.DONE);
    }

    @Test
    void neverCompensatesPastThePivotButWaitsForAnOperator() {
        PlaceOrderSagaFixture saga = given().placed().and(RESERVED, AUTHORIZED)
                .whenDeadlinePasses().expect(new ApproveOrder(2500))
                .whenDeadlinePasses().expect(new ApproveOrder(2500))
                .whenDeadlinePasses().expectNothing()
                .inState(PlaceOrderState.STUCK, PlaceOrderStep.APPROVE_ORDER);

        assertThat(saga.saga().canAbort()).isFalse();
        saga.when(new OperatorAbort()).expectNothing().inState(PlaceOrderState.STUCK, PlaceOrderStep.APPROVE_ORDER);
    }

    @Test
    void ignoresDuplicateAndOutOfOrderReplies() {
        given().placed()
                .when(AUTHORIZED).expectNothing().inState(PlaceOrderState.RUNNING, PlaceOrderStep.RESERVE_STOCK)
                .when(new OrderApproved()).expectNothing()
                .when(RESERVED).expect(new AuthorizePayment("alice", 2500))
                .when(RESERVED).expectNothing().inState(PlaceOrderState.RUNNING, PlaceOrderStep.AUTHORIZE_PAYMENT)
                .when(AUTHORIZED).expect(new ApproveOrder(2500))
                .when(AUTHORIZED).expectNothing()
                .when(new OrderApproved()).inState(PlaceOrderState.APPROVED, PlaceOrderStep.DONE)
                .when(new OrderApproved()).expectNothing()
                .when(new OperatorAbort()).expectNothing().inState(PlaceOrderState.APPROVED, PlaceOrderStep.DONE);
    }

    @Test
    void ignoresALateReservationAfterTimingOut() {
        given().placed()
                .whenDeadlinePasses().whenDeadlinePasses().whenDeadlinePasses()
                .inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK)
                .when(RESERVED).expectNothing().inState(PlaceOrderState.COMPENSATING, PlaceOrderStep.RELEASE_STOCK);
    }

    @Test
    void operatorAbortBeforeThePivotCompensatesEverythingThatMayBeHeld() {
        given().placed().and(RESERVED)
                .when(new OperatorAbort()).expect(new VoidPayment())
                .when(new PaymentVoided()).expect(new ReleaseStock())
                .when(new StockReleased()).expect(new RejectOrder(RejectionReason.ABORTED))
                .when(new OrderRejected()).inState(PlaceOrderState.REJECTED, PlaceOrderStep.DONE)
                .rejectedFor(RejectionReason.ABORTED);
    }

    @Test
    void survivesARestartThroughItsSnapshot() {
        PlaceOrderSaga before = given().placed().and(RESERVED).saga();

        PlaceOrderSaga after = PlaceOrderSaga.restore(before.snapshot());

        assertThat(after.snapshot()).isEqualTo(before.snapshot());
        assertThat(after.handle(AUTHORIZED, java.time.Instant.now(), PlaceOrderSagaFixture.POLICY))
                .containsExactly(new ApproveOrder(2500));
    }

    @Test
    void keepsAHistoryOfEveryStep() {
        PlaceOrderSaga saga = given().placed().and(RESERVED, AUTHORIZED, new OrderApproved()).saga();

        assertThat(saga.history()).extracting(SagaHistoryEntry::event).containsExactly(
                "order placed", "sent ReserveStock", "stock reserved, total 2500 cents", "sent AuthorizePayment",
                "payment authorized (auth-1)", "sent ApproveOrder", "order approved");
    }
}
