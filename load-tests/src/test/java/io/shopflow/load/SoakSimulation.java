package io.shopflow.load;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;

/**
 * Soak: a moderate {@code rate} (30 orders/s) for {@code durationMinutes} (60), to surface what
 * only time shows: leaks, growing tables or WAL, slowing queries, GC drift.
 */
public class SoakSimulation extends ShopSimulation {

    {
        double rate = Double.parseDouble(System.getProperty("rate", "30"));
        long minutes = Long.getLong("durationMinutes", 60);
        setUp(Shop.placeAndFollow("soak").injectOpen(constantUsersPerSec(rate).during(Duration.ofMinutes(minutes))))
                .protocols(Shop.protocol())
                .assertions(Shop.assertions());
    }
}
