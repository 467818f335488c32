package io.shopflow.load;

import io.gatling.javaapi.core.Simulation;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;

/**
 * A 45-second check that the stack takes orders and finishes their sagas under light load:
 * {@code rate} orders/s (5). {@code ./mvnw -B -pl load-tests verify -Psmoke}.
 */
public class SmokeSimulation extends Simulation {

    {
        double rate = Double.parseDouble(System.getProperty("rate", "5"));
        setUp(Shop.placeAndFollow("smoke").injectOpen(constantUsersPerSec(rate).during(Duration.ofSeconds(45))))
                .protocols(Shop.protocol())
                .assertions(Shop.assertions());
    }

    @Override
    public void before() {
        System.out.println("Smoke: " + Shop.describe());
        Shop.stockUp();
    }
}
