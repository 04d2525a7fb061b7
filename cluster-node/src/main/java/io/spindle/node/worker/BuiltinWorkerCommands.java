package io.spindle.node.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Commands that run Spindle's built-in cpu.* workers: {@code java} runs the Java SDK's built-ins from
 * this node's own classpath; {@code python} runs the stdlib-only Python SDK module, extracted from the jar.
 */
public final class BuiltinWorkerCommands {
    static final String JAVA_MAIN = "io.spindle.bridge.builtin.BuiltinWorkers";
    static final String PYTHON_RESOURCE = "/spindle/python/spindle_worker.py";
    // Small, quick-starting JVMs: a worker shim does little besides talk to its runtime.
    private static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-Xmx128m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private BuiltinWorkerCommands() {}

    public static List<String> argv(String builtin) {
        return switch (builtin) {
            case "java" -> javaArgv();
            case "python" -> List.of("python3", pythonModule().toString());
            default -> throw new IllegalArgumentException("unknown builtin worker '" + builtin + "': use \"java\" or \"python\"");
        };
    }

    private static List<String> javaArgv() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return concat(List.of(java), SMALL_JVM, List.of("-cp", System.getProperty("java.class.path"), JAVA_MAIN));
    }

    /** Extracts the Python SDK next to a temp dir once per JVM and returns its path. */
    private static synchronized Path pythonModule() {
        try (InputStream in = BuiltinWorkerCommands.class.getResourceAsStream(PYTHON_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the Python worker SDK " + PYTHON_RESOURCE + " is missing from the classpath");
            }
            Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "spindle-python-" + ProcessHandle.current().pid()));
            Path file = dir.resolve("spindle_worker.py");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            dir.toFile().deleteOnExit();
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the Python worker SDK", e);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
    }
}
