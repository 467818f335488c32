package io.shopflow.saga.domain.placeorder;

/**
 * Steps of the PlaceOrder saga. Forward steps run in declaration order; on a failure the
 * compensations of the forward steps already attempted run in reverse, then the order is
 * rejected. {@link #APPROVE_ORDER} is the pivot: once payment is authorized the saga only
 * moves forward.
 */
public enum PlaceOrderStep {
    RESERVE_STOCK(false),
    AUTHORIZE_PAYMENT(false),
    APPROVE_ORDER(false),
    VOID_PAYMENT(true),
    RELEASE_STOCK(true),
    REJECT_ORDER(true),
    DONE(false);

    private final boolean compensation;

    PlaceOrderStep(boolean compensation) {
        this.compensation = compensation;
    }

    public boolean isCompensation() {
        return compensation;
    }
}
