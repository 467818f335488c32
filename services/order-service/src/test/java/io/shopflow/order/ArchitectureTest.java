package io.shopflow.order;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.shopflow.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    @Test
    void domainIsFreeOfFrameworks() {
        ArchitectureRules.domainIsFrameworkFree("io.shopflow.order").check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.shopflow.order"));
    }
}
