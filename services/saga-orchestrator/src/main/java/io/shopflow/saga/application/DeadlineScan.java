package io.shopflow.saga.application;

import io.shopflow.saga.domain.DeadlinePolicy;
import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderInput;

import java.time.Instant;

/**
 * The deadline decisions of one scan. Resends are capped per scan: under an overload the
 * resends of a whole batch would join the very queues that made them late, so a scan sends at
 * most {@code maxResends} and leaves the other due resends, deadline still passed, to later scans
 * (which take the oldest deadlines first). Extensions and compensations are not capped: the first
 * sends nothing, the second is how a saga ends.
 */
final class DeadlineScan {

    private int resendsLeft;

    DeadlineScan(int maxResends) {
        if (maxResends < 1) {
            throw new IllegalArgumentException("shopflow.saga.max-resends-per-scan must be at least 1");
        }
        this.resendsLeft = maxResends;
    }

    PlaceOrderSaga.Expiry expire(PlaceOrderSaga saga, boolean mayBeQueued, Instant now, DeadlinePolicy policy) {
        PlaceOrderSaga.Expiry expiry = saga.expire(new PlaceOrderInput.DeadlineExpired(mayBeQueued, resendsLeft > 0), now,
                policy);
        if (expiry.outcome() == PlaceOrderSaga.DeadlineOutcome.RESENT) {
            resendsLeft--;
        }
        return expiry;
    }
}
