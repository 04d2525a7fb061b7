package io.spindle.cli.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of docs/architecture.md as ArchUnit rules, parameterised by package so that
 * {@link PackageRulesTest} can show each one failing on a deliberately broken fixture.
 */
final class PackageRules {
    private PackageRules() {}

    /** Every package under {@code root} is its own slice; no two slices may depend on each other in a cycle. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    /** Classes in {@code isolated} use nothing under {@code project} but themselves (a plugin publishable alone). */
    static ArchRule dependsOnNothingOfTheProject(String isolated, String project) {
        return noClasses().that().resideInAPackage(isolated + "..")
                .should().dependOnClassesThat(resideInAPackage(project + "..").and(resideOutsideOfPackage(isolated + "..")))
                .because(isolated + " must not depend on the rest of " + project);
    }

    /** Only {@code allowed} (and {@code target} itself) may use classes of {@code target}, within {@code scope}. */
    static ArchRule onlyUsedFrom(String target, String allowed, String scope) {
        return noClasses().that().resideInAPackage(scope + "..")
                .and().resideOutsideOfPackages(allowed, target + "..")
                .should().dependOnClassesThat().resideInAPackage(target + "..");
    }
}
