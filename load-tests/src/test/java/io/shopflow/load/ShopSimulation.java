package io.shopflow.load;

import io.gatling.javaapi.core.Simulation;

/** What every Shopflow simulation does before it starts: print its settings and stock the SKUs up. */
abstract class ShopSimulation extends Simulation {

    @Override
    public void before() {
        System.out.println(getClass().getSimpleName() + ": " + Shop.describe());
        Shop.stockUp();
    }
}
