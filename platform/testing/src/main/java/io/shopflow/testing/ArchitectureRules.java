package io.shopflow.testing;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import org.junit.jupiter.api.DynamicTest;

import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * House architecture rules, shared by every service's ArchUnit test (STYLE.md rules 4 and 5,
 * ADR 15): one shape for every service.
 * <ul>
 *   <li>{@code domain} is plain Java: no framework, persistence, messaging or Avro;</li>
 *   <li>{@code application} holds the use cases and the ports they need; it knows neither
 *       Hibernate, Kafka, Avro, HTTP nor the message contracts, and hands the transaction to its
 *       ports as an opaque {@code UnitOfWork};</li>
 *   <li>{@code adapter.*} implements the ports (persistence, messaging with all Avro mapping, REST
 *       calling use cases only); no adapter uses another, and nothing but an adapter uses one;</li>
 *   <li>{@code config} (settings) may be read by every layer but the domain;</li>
 *   <li>no package cycles.</li>
 * </ul>
 */
public final class ArchitectureRules {

    private static final String[] FRAMEWORKS = {"io.quarkus..", "jakarta.persistence..", "jakarta.ws..",
            "jakarta.enterprise..", "jakarta.inject..", "org.hibernate..", "io.smallrye..", "io.vertx..",
            "org.apache.kafka..", "org.apache.avro..", "io.shopflow.contracts..", "com.fasterxml.jackson..",
            "io.opentelemetry..", "io.micrometer.."};

    /** What a use case must not see: the technologies its adapters hide. */
    private static final String[] TECHNOLOGIES = {"jakarta.persistence..", "jakarta.ws..", "org.hibernate..",
            "io.vertx..", "org.apache.kafka..", "org.apache.avro..", "io.shopflow.contracts..",
            "io.shopflow.messaging..", "io.shopflow.web..", "com.fasterxml.jackson..", "io.quarkus.hibernate..",
            "io.quarkus.vertx.."};

    private static final String UNIT_OF_WORK = "io.shopflow.outbox.UnitOfWork";
    private static final String UNITS_OF_WORK = "io.shopflow.outbox.UnitsOfWork";

    private ArchitectureRules() {
    }

    /** The service's main classes (tests excluded). */
    public static JavaClasses mainClasses(String servicePackage) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(servicePackage);
    }

    /** Every rule below as a test of its own, checked against the service's main classes. */
    public static Stream<DynamicTest> tests(String servicePackage) {
        JavaClasses classes = mainClasses(servicePackage);
        return all(servicePackage).stream().map(rule -> DynamicTest.dynamicTest(rule.getDescription(),
                () -> rule.check(classes)));
    }

    /** Every rule below, for {@code servicePackage}. */
    public static List<ArchRule> all(String servicePackage) {
        return List.of(domainIsFrameworkFree(servicePackage), layers(servicePackage),
                applicationIsFreeOfTechnology(servicePackage), adaptersDoNotUseEachOther(servicePackage),
                noPackageCycles(servicePackage));
    }

    /** {@code <servicePackage>.domain..} depends on plain Java only. */
    public static ArchRule domainIsFrameworkFree(String servicePackage) {
        return noClasses().that().resideInAPackage(servicePackage + ".domain..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .as("the domain of " + servicePackage + " is free of frameworks, persistence, messaging and Avro");
    }

    /** domain <- application <- adapters, with settings beside them; every class sits in one of the layers. */
    public static ArchRule layers(String servicePackage) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("Domain").definedBy(servicePackage + ".domain..")
                .layer("Application").definedBy(servicePackage + ".application..")
                .layer("Adapters").definedBy(servicePackage + ".adapter..")
                .layer("Config").definedBy(servicePackage + ".config..")
                .whereLayer("Adapters").mayNotBeAccessedByAnyLayer()
                .whereLayer("Application").mayOnlyBeAccessedByLayers("Adapters")
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("Application", "Adapters")
                .whereLayer("Config").mayOnlyBeAccessedByLayers("Application", "Adapters")
                .as("the layers of " + servicePackage + ": domain <- application <- adapter.*, config beside them");
    }

    /**
     * Use cases see their ports and the domain: no persistence, Kafka, Avro, HTTP or message
     * contracts, and of the platform only the {@code UnitOfWork} they pass on without opening it.
     */
    public static ArchRule applicationIsFreeOfTechnology(String servicePackage) {
        DescribedPredicate<JavaClass> platformButUnitsOfWork = resideInAnyPackage("io.shopflow.outbox..")
                .and(DescribedPredicate.describe("neither " + UNIT_OF_WORK + " nor " + UNITS_OF_WORK,
                        c -> !c.getName().equals(UNIT_OF_WORK) && !c.getName().equals(UNITS_OF_WORK)));
        return noClasses().that().resideInAPackage(servicePackage + ".application..")
                .should().dependOnClassesThat().resideInAnyPackage(TECHNOLOGIES)
                .orShould().dependOnClassesThat(platformButUnitsOfWork)
                .orShould().callMethod(UNIT_OF_WORK, "session")
                .as("the use cases of " + servicePackage + " are free of persistence, messaging, Avro and HTTP");
    }

    /** An adapter implements ports; it does not reach into another adapter. */
    public static ArchRule adaptersDoNotUseEachOther(String servicePackage) {
        return slices().matching(servicePackage + ".adapter.(*)..").should().notDependOnEachOther()
                .as("the adapters of " + servicePackage + " do not use each other");
    }

    /** No cycle between any two packages of the service. */
    public static ArchRule noPackageCycles(String servicePackage) {
        return slices().matching(servicePackage + ".(**)").should().beFreeOfCycles()
                .as("the packages of " + servicePackage + " are free of cycles");
    }
}
