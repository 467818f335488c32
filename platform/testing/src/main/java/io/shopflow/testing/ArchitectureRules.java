package io.shopflow.testing;

import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * House architecture rules, shared by every service's ArchUnit test (see STYLE.md, rules 4
 * and 5): the domain knows no framework, no persistence, no messaging and no Avro.
 */
public final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** {@code <servicePackage>.domain..} depends on plain Java only. */
    public static ArchRule domainIsFrameworkFree(String servicePackage) {
        return noClasses().that().resideInAPackage(servicePackage + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.quarkus..", "jakarta.persistence..", "jakarta.ws..", "jakarta.enterprise..",
                        "jakarta.inject..", "org.hibernate..", "io.smallrye..", "io.vertx..",
                        "org.apache.kafka..", "org.apache.avro..", "io.shopflow.contracts..",
                        "com.fasterxml.jackson..", "io.opentelemetry..", "io.micrometer..")
                .as("the domain of " + servicePackage + " is free of frameworks, persistence, messaging and Avro");
    }
}
