package io.spindle.cli.e2e;

/** The classpath node processes are started with: this test JVM's (main + test classes and every dependency). */
final class TestClasspath {
    private TestClasspath() {}

    static String get() {
        // Surefire puts the real test classpath here when it runs tests through a manifest-only jar.
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
