package io.spindle.cli.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/** The main classes of every module, as this module's test classpath holds them: no test classes, no test-jars. */
final class MainClasses {
    private MainClasses() {}

    static JavaClasses ofSpindle() {
        return new ClassFileImporter()
                .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
                .importPackages("io.spindle");
    }
}
