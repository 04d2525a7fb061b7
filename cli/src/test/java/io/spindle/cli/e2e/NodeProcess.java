package io.spindle.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real {@code spindle} process (node or dev) started from the test classpath, its stdout and stderr in
 * files next to its config. Ready once it prints its ready line; stopped with SIGTERM, or killed with SIGKILL.
 */
final class NodeProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern API = Pattern.compile("API (http://[^\\s,]+)");
    private static final Pattern MANAGEMENT = Pattern.compile("management (http://[^\\s,]+)");
    private static final Pattern CLUSTER_ADDRESS = Pattern.compile("cluster address (pekko://[^\\s,]+)");
    private static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final List<String> launcher;
    private final List<String> args;
    private final Path logDir;
    private final String name;
    private final java.util.Map<String, String> env = new java.util.HashMap<>();
    private Process process;
    /** Children of this node's processes that a kill left running (reparented, so no longer its descendants). */
    private final List<ProcessHandle> orphans = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String apiUrl;
    private String managementUrl;
    private String clusterAddress;

    private NodeProcess(String name, List<String> launcher, List<String> args, Path logDir) {
        this.name = name;
        this.launcher = List.copyOf(launcher);
        this.args = List.copyOf(args);
        this.logDir = logDir;
        // Several nodes run on this machine at once: each takes a free management port (its ready line names it).
        env.put("SPINDLE_MANAGEMENT_PORT", "0");
    }

    /** {@code spindle node --config file}. */
    static NodeProcess node(String name, Path configFile) {
        return new NodeProcess(name, fromTestClasspath(), List.of("node", "--config", configFile.toString()), configFile.getParent());
    }

    /** {@code spindle dev} with the given options, logs in {@code logDir}. */
    static NodeProcess dev(Path logDir, String... options) {
        List<String> args = new ArrayList<>(List.of("dev"));
        args.addAll(List.of(options));
        return new NodeProcess("dev", fromTestClasspath(), args, logDir);
    }

    /** {@code <launcher script> dev <options>}: the command as users run it (bin/spindle and the shaded jar). */
    static NodeProcess devWithLauncher(Path script, Path logDir, String... options) {
        List<String> args = new ArrayList<>(List.of("dev"));
        args.addAll(List.of(options));
        return new NodeProcess("dev", List.of(script.toString()), args, logDir);
    }

    private static List<String> fromTestClasspath() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM);
        command.addAll(List.of("-cp", TestClasspath.get(), "io.spindle.cli.SpindleCli"));
        return command;
    }

    /** Sets an environment variable of the process (from its next start on). */
    NodeProcess env(String key, String value) {
        env.put(key, value);
        return this;
    }

    /** Starts the process and waits for its ready line; returns the API base URL it printed. */
    String start() {
        launch();
        return awaitReady(START_TIMEOUT);
    }

    /** Starts the process without waiting for it to be ready (see {@link #awaitReady}). */
    void launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " already runs");
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(args);
        Path out = stdout();
        try {
            Files.deleteIfExists(out);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(env);
            process = builder
                    .redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits for the ready line of a launched process; returns the API base URL it printed. */
    String awaitReady(Duration timeout) {
        Path out = stdout();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String printed = read(out);
            if (printed.contains(" ready: ")) {
                Matcher m = API.matcher(printed);
                if (!m.find()) {
                    throw new IllegalStateException(name + " printed no API URL: " + printed);
                }
                apiUrl = m.group(1);
                Matcher management = MANAGEMENT.matcher(printed);
                managementUrl = management.find() ? management.group(1) : null;
                Matcher address = CLUSTER_ADDRESS.matcher(printed);
                clusterAddress = address.find() ? address.group(1) : null;
                return apiUrl;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " before it was ready; log: "
                        + logDir.resolve(name + ".log") + "\n" + tail());
            }
            sleep(Duration.ofMillis(200));
        }
        kill();
        throw new IllegalStateException(name + " not ready within " + timeout + "\n" + tail());
    }

    /** Whether the process printed its ready line yet. */
    boolean printedReady() {
        return read(stdout()).contains(" ready: ");
    }

    /** The management base URL of the ready line (spindle.management), null when management is off. */
    String managementUrl() {
        return managementUrl;
    }

    /** The node's cluster address, e.g. pekko://spindle@127.0.0.1:25520. */
    String clusterAddress() {
        return clusterAddress;
    }

    /** Sends a signal by name (STOP, CONT) with kill(1): SIGSTOP freezes the JVM as a long GC pause or a hung host would. */
    void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the process exits by itself; returns its exit code, or fails after {@code timeout}. */
    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still runs after " + timeout + "\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String apiUrl() {
        return apiUrl;
    }

    long pid() {
        return process.pid();
    }

    /** What a JVM exits with after a SIGTERM it handled (shutdown hooks ran): 128 + 15. */
    static final int EXIT_ON_SIGTERM = 143;

    /** SIGTERM, then waits until the process has exited by itself; returns its exit code. */
    int stop() {
        if (process == null) {
            return -1;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(name + " did not stop within " + STOP_TIMEOUT + " of SIGTERM\n" + tail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no coordinated shutdown, like a crash or an OOM kill. */
    void kill() {
        if (process == null) {
            return;
        }
        // Like kill -9 of a node: its children (embedded redis-server, workers) live on, as they would; close() ends them.
        process.descendants().forEach(orphans::add);
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The last lines of the process's log, for failure messages. */
    String tail() {
        String log = read(logDir.resolve(name + ".log"));
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }

    Path log() {
        return logDir.resolve(name + ".log");
    }

    @Override
    public void close() {
        if (isAlive()) {
            kill();
        }
        orphans.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** What the process printed on stdout since its last start. */
    String printed() {
        return read(stdout());
    }

    private Path stdout() {
        return logDir.resolve(name + ".out");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
