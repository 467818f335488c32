package io.shopflow.load;

import io.gatling.javaapi.core.Simulation;

import java.util.List;

/** What every Shopflow simulation does before it starts: print its settings and stock the SKUs up. */
abstract class ShopSimulation extends Simulation {

    @Override
    public void before() {
        System.out.println(getClass().getSimpleName() + ": " + settings());
        Shop.stockUp();
    }

    /** The settings this run uses, printed before it starts. */
    List<String> settings() {
        return Shop.describe(Shop.POLL);
    }
}
