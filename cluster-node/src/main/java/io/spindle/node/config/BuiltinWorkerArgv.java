package io.spindle.node.config;

import io.spindle.bridge.files.PrivateFiles;
import io.spindle.bridge.files.StaleDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Commands that run Spindle's built-in workers: {@code java} runs the Java SDK's cpu.* built-ins from
 * this node's own classpath; {@code python} runs the stdlib-only Python SDK module, extracted from the jar;
 * {@link #runtime} runs the shim of a built-in runtime backend.
 * The main class and the SDK's resource path come from the worker bridge itself, so they cannot drift apart.
 */
public final class BuiltinWorkerArgv {
    static final String PYTHON = "python3";
    // Small, quick-starting JVMs: a worker shim does little besides talk to its runtime.
    private static final List<String> QUICK_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");
    private static final List<String> SMALL_JVM = jvm(io.spindle.bridge.runtime.RuntimeShim.DEFAULT_HEAP_MB);
    /** The SDK's temp dirs: {@code spindle-python-<pid>-<random>} (older versions: {@code spindle-python-<pid>}). */
    static final String SDK_DIR_PREFIX = "spindle-python-";
    private static Path pythonSdk;

    private BuiltinWorkerArgv() {}

    public static List<String> argv(String builtin) {
        return switch (builtin) {
            case "java" -> io.spindle.bridge.builtin.BuiltinWorkerCommands.java(System.getProperty("java.class.path"), SMALL_JVM);
            case "python" -> io.spindle.bridge.builtin.BuiltinWorkerCommands.python(PYTHON, pythonSdk());
            default -> throw new IllegalArgumentException("unknown builtin worker '" + builtin + "': use \"java\" or \"python\"");
        };
    }

    /** Deletes the SDK dirs of node processes that are gone (a node killed with SIGKILL leaves its own behind). */
    public static void deleteStaleSdkDirs() {
        StaleDirs.deleteDead(tempDir(), SDK_DIR_PREFIX);
    }

    /**
     * The command of a worker process serving the built-in runtime {@code backend} (espeak, flite, openai, http…):
     * the bridge's {@code RuntimeWorker} in a small JVM on this node's classpath, so a hosted config of a built-in
     * backend needs no command of its own.
     */
    public static List<String> runtime(String backend) {
        if (!io.spindle.bridge.runtime.RuntimeBackends.isBuiltin(backend)) {
            throw new IllegalArgumentException("unknown built-in runtime backend '" + backend + "': use one of "
                    + io.spindle.bridge.runtime.RuntimeBackends.names());
        }
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // Each backend says how much heap it needs: a shim holding its model on the heap (minilm) needs more.
        command.addAll(jvm(io.spindle.bridge.runtime.RuntimeBackends.create(backend).orElseThrow().maxHeapMb()));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), io.spindle.bridge.runtime.RuntimeWorker.class.getName(), backend));
        return List.copyOf(command);
    }

    private static List<String> jvm(int maxHeapMb) {
        List<String> flags = new java.util.ArrayList<>(QUICK_JVM);
        flags.add(1, "-Xmx" + maxHeapMb + "m");
        return List.copyOf(flags);
    }

    /**
     * Extracts the Python SDK once per JVM into a new 0700 temp dir and returns its path. Never into a dir that
     * existed: another local user could have made it and swap the SDK for code the workers would run.
     */
    private static synchronized Path pythonSdk() {
        if (pythonSdk == null) {
            try {
                deleteStaleSdkDirs();
                Path dir = PrivateFiles.freshDirectory(tempDir(), StaleDirs.nameFor(SDK_DIR_PREFIX) + "-");
                pythonSdk = io.spindle.bridge.builtin.BuiltinWorkerCommands.extractPythonSdk(dir);
                dir.toFile().deleteOnExit();
                pythonSdk.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot extract the Python worker SDK", e);
            }
        }
        return pythonSdk;
    }

    private static Path tempDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
