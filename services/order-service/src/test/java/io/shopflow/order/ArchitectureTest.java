package io.shopflow.order;

import io.shopflow.testing.ArchitectureRules;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

/** One shape for every service (ADR 15): layers, ports and adapters, no package cycles. */
class ArchitectureTest {

    @TestFactory
    Stream<DynamicTest> followsTheHouseArchitecture() {
        return ArchitectureRules.tests("io.shopflow.order");
    }
}
