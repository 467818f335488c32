package io.shopflow.localstack;

import com.tngtech.archunit.core.domain.JavaClasses;
import io.shopflow.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * local-stack is two tools: the launcher (package {@code launcher}: what a user needs to run the platform) and the
 * operations tools built on it (package {@code operations}: drills, invariants, capacity, soak, footprint, profile).
 * Only the command line ({@link LocalStack}) knows both.
 */
class ArchitectureTest {

    private static final String LOCAL_STACK = "io.shopflow.localstack";
    private static final JavaClasses CLASSES = ArchitectureRules.mainClasses(LOCAL_STACK);

    @Test
    void theLauncherDoesNotDependOnTheOperationsTools() {
        noClasses().that().resideInAPackage(LOCAL_STACK + ".launcher..")
                .should().dependOnClassesThat().resideInAPackage(LOCAL_STACK + ".operations..")
                .check(CLASSES);
    }

    @Test
    void onlyTheCommandLineKnowsBothTools() {
        noClasses().that().resideInAnyPackage(LOCAL_STACK + ".launcher..", LOCAL_STACK + ".operations..")
                .should().dependOnClassesThat().resideInAPackage(LOCAL_STACK)
                .check(CLASSES);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles(LOCAL_STACK).check(CLASSES);
    }
}
