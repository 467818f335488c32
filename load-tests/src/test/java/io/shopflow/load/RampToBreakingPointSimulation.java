package io.shopflow.load;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

/**
 * Ramp to the breaking point: the arrival rate grows linearly from {@code fromRate} (10) to
 * {@code toRate} (600) orders/s over {@code durationSeconds} (300). The report's timeline shows
 * the rate at which the end-to-end p99 leaves its target; past it the run fails its assertions
 * by design, which is the point: the failing rate is the number to publish.
 */
public class RampToBreakingPointSimulation extends ShopSimulation {

    {
        double from = Double.parseDouble(System.getProperty("fromRate", "10"));
        double to = Double.parseDouble(System.getProperty("toRate", "600"));
        long seconds = Long.getLong("durationSeconds", 300);
        setUp(Shop.placeAndFollow("ramp").injectOpen(rampUsersPerSec(from).to(to).during(Duration.ofSeconds(seconds))))
                .protocols(Shop.protocol())
                .assertions(Shop.assertions());
    }
}
