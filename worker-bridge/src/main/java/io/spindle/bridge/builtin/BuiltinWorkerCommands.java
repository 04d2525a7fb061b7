package io.spindle.bridge.builtin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** Command lines that start the built-in workers, and the Python SDK file a node extracts from its jar. */
public final class BuiltinWorkerCommands {
    /** Classpath resource of the Python SDK (a single stdlib-only module). */
    public static final String PYTHON_SDK_RESOURCE = "/spindle/python/spindle_worker.py";
    public static final String PYTHON_SDK_FILE = "spindle_worker.py";
    public static final String PYTHON_MODULE = "spindle_worker";

    private BuiltinWorkerCommands() {}

    /** Runs the Java built-ins in a fresh JVM on this JVM's own classpath. */
    public static List<String> java() {
        return java(System.getProperty("java.class.path"));
    }

    public static List<String> java(String classpath) {
        return java(classpath, List.of());
    }

    /** Runs the Java built-ins in a fresh JVM with {@code jvmOptions} (e.g. heap size) on {@code classpath}. */
    public static List<String> java(String classpath, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classpath, BuiltinWorkers.class.getName()));
        return List.copyOf(command);
    }

    /** Runs the Python built-ins from an extracted SDK file (see {@link #extractPythonSdk}). */
    public static List<String> python(String pythonExecutable, Path sdkFile) {
        return List.of(pythonExecutable, sdkFile.toString());
    }

    /** Writes the Python SDK into {@code dir} (replacing an older copy); put {@code dir} on PYTHONPATH to import it. */
    public static Path extractPythonSdk(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(PYTHON_SDK_FILE);
        try (InputStream in = BuiltinWorkerCommands.class.getResourceAsStream(PYTHON_SDK_RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + PYTHON_SDK_RESOURCE + " is missing from the classpath");
            }
            Path temp = Files.createTempFile(dir, PYTHON_MODULE, ".tmp");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return target;
    }
}
