package io.shopflow.load;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;

/**
 * A 45-second check that the stack takes orders and finishes their sagas under light load:
 * {@code rate} orders/s (5). {@code ./mvnw -B -pl load-tests verify -Psmoke}.
 */
public class SmokeSimulation extends ShopSimulation {

    {
        double rate = Double.parseDouble(System.getProperty("rate", "5"));
        setUp(Shop.placeAndFollow("smoke").injectOpen(constantUsersPerSec(rate).during(Duration.ofSeconds(45))))
                .protocols(Shop.protocol())
                .assertions(Shop.assertions());
    }
}
