package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local engine as a child process with a time limit, watching for the job's cancel while it waits. Its
 * stderr goes to a file in the scratch dir (not declared as an artifact) whose tail explains a failure.
 */
public final class Subprocess {
    /** How often the wait wakes to notice a cancel. */
    static final Duration POLL = Duration.ofMillis(100);
    /** Characters of the engine's stderr quoted in a failure message. */
    static final int STDERR_TAIL_CHARS = 400;
    /** How long a killed engine may take to exit before the shim stops waiting for it. */
    static final Duration KILL_GRACE = Duration.ofSeconds(2);

    private Subprocess() {}

    /** How an engine run ended. */
    public record Exit(int code, String stderrTail) {
        public boolean ok() {
            return code == 0;
        }
    }

    /**
     * Runs {@code argv} in {@code workDir} and waits up to {@code timeout}. Fails transient {@code runtime_missing}
     * when the program cannot start, transient {@code timeout} when it overruns (it is killed), and {@code canceled}
     * when the job is canceled meanwhile; any exit code is returned for the caller to classify.
     */
    public static Exit run(List<String> argv, Path workDir, Duration timeout, WorkerContext ctx) throws WorkerFailure {
        return run(argv, workDir, timeout, ctx, ProcessBuilder.Redirect.DISCARD);
    }

    /** As {@link #run(List, Path, Duration, WorkerContext)}, keeping the engine's stdout in {@code stdout} for an engine that prints its result. */
    public static Exit run(List<String> argv, Path workDir, Duration timeout, WorkerContext ctx, Path stdout) throws WorkerFailure {
        return run(argv, workDir, timeout, ctx, ProcessBuilder.Redirect.to(stdout.toFile()));
    }

    /** The file in {@code workDir} holding the whole stderr of the last run of {@code argv}, for an engine that reports there. */
    public static Path stderrFile(List<String> argv, Path workDir) {
        return workDir.resolve("." + Path.of(argv.get(0)).getFileName() + ".stderr");
    }

    private static Exit run(List<String> argv, Path workDir, Duration timeout, WorkerContext ctx, ProcessBuilder.Redirect stdout)
            throws WorkerFailure {
        Path stderr = stderrFile(argv, workDir);
        Process process;
        try {
            process = new ProcessBuilder(argv).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(stdout)
                    .redirectError(stderr.toFile())
                    .start();
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_MISSING, "cannot start " + argv.get(0) + ": " + e.getMessage());
        }
        Instant until = Instant.now().plus(timeout);
        try {
            while (!process.waitFor(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (ctx.isCancelled()) {
                    kill(process);
                    throw WorkerFailure.canceled();
                }
                if (Instant.now().isAfter(until)) {
                    kill(process);
                    throw Failures.timeout(argv.get(0) + " did not finish within " + timeout.toMillis() + " ms");
                }
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw ctx.isCancelled() ? WorkerFailure.canceled()
                    : WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, argv.get(0) + " was interrupted");
        }
        return new Exit(process.exitValue(), tail(stderr));
    }

    /** Empty when {@code program} is on the PATH, else why a shim cannot run: it is missing, and what installs it. */
    public static Optional<String> missing(String program, String debianPackages) {
        return onPath(program) ? Optional.empty()
                : Optional.of(program + " is not on the PATH (Debian: apt-get install " + debianPackages + ")");
    }

    /** Whether {@code program} is an executable on the PATH (or an executable path). */
    public static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.length() <= STDERR_TAIL_CHARS ? text : "…" + text.substring(text.length() - STDERR_TAIL_CHARS);
        } catch (IOException e) {
            return "";
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File("/dev/null");
    }
}
