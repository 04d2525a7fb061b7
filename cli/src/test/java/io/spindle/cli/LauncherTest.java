package io.spindle.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The JVM options {@code bin/spindle} chooses: the JIT inlining limits for the node commands (long-running servers),
 * C1 and the serial collector for every client command, {@code JAVA_OPTS} after either so it can override them, and
 * the command line passed on untouched. A {@code java} of our own on the PATH records what the launcher runs.
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "bin", "spindle").toAbsolutePath().normalize();
    private static final String INLINING = "-XX:MaxInlineLevel=9";
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    private static final String SERIAL_GC = "-XX:+UseSerialGC";

    private Path dir;
    private Path jar;
    private Path recorded;

    @BeforeEach
    void fakeJava() throws IOException {
        dir = Files.createTempDirectory("spindle-launcher-test");
        jar = Files.writeString(dir.resolve("spindle.jar"), "not a jar: the java below never opens it");
        recorded = dir.resolve("argv");
        Path java = dir.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor arg in \"$@\"; do printf '%s\\n' \"$arg\"; done > \"$RECORD_ARGV\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void deleteDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theNodeCommandsRunWithC2AndTheInliningLimits() throws Exception {
        for (String command : List.of("dev", "node")) {
            List<String> argv = launch(null, command, "--port", "8080");
            assertTrue(argv.contains(INLINING), command + ": " + argv);
            assertFalse(argv.contains(C1_ONLY), command + ": " + argv);
            assertEquals(List.of("-jar", jar.toString(), command, "--port", "8080"), argv.subList(argv.indexOf("-jar"), argv.size()));
        }
    }

    @Test
    void clientCommandsRunWithC1AndTheSerialCollector() throws Exception {
        for (List<String> command : List.<List<String>>of(List.of("bench", "--jobs", "10"), List.of("get", "a b"), List.of("--version"), List.of())) {
            List<String> argv = launch(null, command.toArray(String[]::new));
            assertTrue(argv.contains(C1_ONLY) && argv.contains(SERIAL_GC), command + ": " + argv);
            assertFalse(argv.contains(INLINING), command + ": " + argv);
            List<String> passed = new ArrayList<>(List.of("-jar", jar.toString()));
            passed.addAll(command);
            assertEquals(passed, argv.subList(argv.indexOf("-jar"), argv.size()), "arguments pass through as given");
        }
    }

    @Test
    void javaOptsComeAfterTheChosenOptionsSoTheyWin() throws Exception {
        List<String> argv = launch("-XX:TieredStopAtLevel=4 -Xmx256m", "bench");
        assertTrue(argv.indexOf("-XX:TieredStopAtLevel=4") > argv.indexOf(C1_ONLY), argv::toString);
        assertTrue(argv.indexOf("-Xmx256m") < argv.indexOf("-jar"), argv::toString);
    }

    private List<String> launch(String javaOpts, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", dir + ":" + System.getenv("PATH"));
        builder.environment().put("SPINDLE_JAR", jar.toString());
        builder.environment().put("RECORD_ARGV", recorded.toString());
        builder.environment().remove("JAVA_OPTS");
        if (javaOpts != null) {
            builder.environment().put("JAVA_OPTS", javaOpts);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher ends");
        assertEquals(0, process.exitValue(), output);
        return Files.readAllLines(recorded);
    }
}
