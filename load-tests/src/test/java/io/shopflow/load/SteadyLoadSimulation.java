package io.shopflow.load;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

/**
 * Steady load (open model): new customers arrive at {@code rate} orders/s (50) for
 * {@code durationSeconds} (300), after a 30 s warm-up ramp.
 */
public class SteadyLoadSimulation extends ShopSimulation {

    {
        double rate = Double.parseDouble(System.getProperty("rate", "50"));
        long seconds = Long.getLong("durationSeconds", 300);
        setUp(Shop.placeAndFollow("steady").injectOpen(
                rampUsersPerSec(1).to(rate).during(Duration.ofSeconds(30)),
                constantUsersPerSec(rate).during(Duration.ofSeconds(seconds))))
                .protocols(Shop.protocol())
                .assertions(Shop.assertions());
    }
}
