package io.shopflow.load;

import java.time.Duration;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.stressPeakUsers;

/**
 * A spike: {@code rate} orders/s (20) for 60 s, then {@code spikeUsers} (1000) customers
 * arriving within {@code spikeSeconds} (10), then the base rate again for 120 s, during which the
 * backlog must drain (outbox lag and consumer lag back to zero on the dashboards).
 */
public class SpikeSimulation extends ShopSimulation {

    {
        double rate = Double.parseDouble(System.getProperty("rate", "20"));
        int spike = Integer.getInteger("spikeUsers", 1000);
        long spikeSeconds = Long.getLong("spikeSeconds", 10);
        setUp(Shop.placeAndFollow("spike").injectOpen(
                constantUsersPerSec(rate).during(Duration.ofSeconds(60)),
                stressPeakUsers(spike).during(Duration.ofSeconds(spikeSeconds)),
                constantUsersPerSec(rate).during(Duration.ofSeconds(120))))
                .protocols(Shop.protocol())
                .assertions(Shop.assertions());
    }
}
