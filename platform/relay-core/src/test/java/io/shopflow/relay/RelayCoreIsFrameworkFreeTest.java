package io.shopflow.relay;

import io.shopflow.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * relay-core is a plain library (STYLE.md rule 2): the Quarkus application and in-process users
 * alike hand it its settings, meter registry and OpenTelemetry, so none of its classes may need
 * Quarkus or a CDI container.
 */
class RelayCoreIsFrameworkFreeTest {

    @Test
    void dependsOnNoQuarkusAndNoCdiClasses() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta.enterprise..",
                        "jakarta.inject..")
                .as("relay-core depends on no Quarkus, CDI or jakarta.inject classes")
                .check(ArchitectureRules.mainClasses("io.shopflow.relay"));
    }
}
