package io.spindle.cli.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout of docs/architecture.md, checked on the main classes of every module (this module's test
 * classpath holds them all): no package cycles anywhere, the Mongo persistence plugin free of Spindle's domain,
 * the node's settings a leaf, and the embedded dev backends wired in by the node's composition root only.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.ofSpindle();
    }

    @Test
    void noModuleHasAPackageCycle() {
        PackageRules.noPackageCycles("io.spindle").check(main);
    }

    @Test
    void theMongoPersistencePluginUsesNothingOfSpindle() {
        PackageRules.dependsOnNothingOfTheProject("io.spindle.node.persistence", "io.spindle").check(main);
    }

    @Test
    void theNodeSettingsAreALeafOfTheNode() {
        PackageRules.dependsOnNothingOfTheProject("io.spindle.node.config", "io.spindle.node").check(main);
    }

    @Test
    void onlyTheNodeItselfStartsEmbeddedBackends() {
        PackageRules.onlyUsedFrom("io.spindle.node.dev", "io.spindle.node", "io.spindle").check(main);
    }

    @Test
    void theDomainModelUsesNoOtherModule() {
        PackageRules.dependsOnNothingOfTheProject("io.spindle.model", "io.spindle").check(main);
    }
}
