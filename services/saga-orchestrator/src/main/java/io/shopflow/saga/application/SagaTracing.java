package io.shopflow.saga.application;

import io.shopflow.saga.domain.placeorder.PlaceOrderSaga;
import io.shopflow.saga.domain.placeorder.PlaceOrderStep;
import io.smallrye.mutiny.Uni;

import java.util.UUID;
import java.util.function.Supplier;

/** The spans of the saga's work in its order's trace (ADR 6). */
public interface SagaTracing {

    /** The W3C {@code traceparent} of the current span, to remember with a new saga; null when there is none. */
    String current();

    /**
     * {@code work} in a {@code saga step <STEP>} span: the step {@code saga} is at after {@code input},
     * for sending the commands of that step.
     */
    <T> Uni<T> inStep(PlaceOrderSaga saga, String input, Supplier<Uni<T>> work);

    /**
     * {@code work} in a {@code saga deadline <STEP>} span in the trace {@code traceparent} names
     * (the saga's order's), for handling the passed deadline of {@code step}.
     */
    <T> Uni<T> inDeadline(String traceparent, UUID orderId, PlaceOrderStep step, PlaceOrderSaga.DeadlineOutcome outcome,
                          Supplier<Uni<T>> work);
}
