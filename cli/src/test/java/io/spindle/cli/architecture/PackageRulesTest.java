package io.spindle.cli.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The rules of {@link ArchitectureTest} fail on deliberately broken fixtures (io.spindle.archfixture), so they can fail. */
class PackageRulesTest {
    private static final String FIXTURES = "io.spindle.archfixture";
    private final JavaClasses fixtures = new ClassFileImporter().importPackages(FIXTURES);

    @Test
    void aCycleBetweenTwoPackagesIsReported() {
        EvaluationResult result = PackageRules.noPackageCycles(FIXTURES).evaluate(fixtures);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("cycle.a"), result.getFailureReport().toString());
    }

    @Test
    void aPluginImportingTheDomainIsReported() {
        EvaluationResult result = PackageRules.dependsOnNothingOfTheProject(FIXTURES + ".plugin", FIXTURES).evaluate(fixtures);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("DomainThing"), result.getFailureReport().toString());
    }

    @Test
    void aPackageUsedFromOutsideItsAllowedUserIsReported() {
        assertTrue(PackageRules.onlyUsedFrom(FIXTURES + ".domain", FIXTURES + ".cycle.a", FIXTURES).evaluate(fixtures).hasViolation());
        assertFalse(PackageRules.onlyUsedFrom(FIXTURES + ".domain", FIXTURES + ".plugin", FIXTURES).evaluate(fixtures).hasViolation());
    }
}
