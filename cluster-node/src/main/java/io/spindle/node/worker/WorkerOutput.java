package io.spindle.node.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries what a worker process prints (stdout and stderr, merged) and its {@code log} frames into the node's
 * log, each line prefixed with the worker's name and the job it is running. One logger for all of it, so an
 * operator can turn worker chatter up or down in one place.
 */
final class WorkerOutput {
    private static final Logger log = LoggerFactory.getLogger(WorkerOutput.class);
    private static final String NO_JOB = "-";

    private WorkerOutput() {}

    /** Starts a daemon thread that logs every line of {@code output} until the process closes it. */
    static void pump(InputStream output, String worker, Supplier<String> currentJob) {
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.info("[{} job {}] {}", worker, orNone(currentJob.get()), line);
                }
            } catch (IOException e) {
                log.debug("[{}] output closed: {}", worker, e.toString());
            }
        }, "spindle-worker-output-" + worker);
        pump.setDaemon(true);
        pump.start();
    }

    /** A {@code log} frame from the worker, at the level it asked for (info when unknown). */
    static void frame(String worker, String jobId, String level, String message) {
        String job = orNone(jobId);
        switch (level == null ? "" : level.toLowerCase(Locale.ROOT)) {
            case "error", "critical", "fatal" -> log.error("[{} job {}] {}", worker, job, message);
            case "warn", "warning" -> log.warn("[{} job {}] {}", worker, job, message);
            case "debug" -> log.debug("[{} job {}] {}", worker, job, message);
            case "trace" -> log.trace("[{} job {}] {}", worker, job, message);
            default -> log.info("[{} job {}] {}", worker, job, message);
        }
    }

    private static String orNone(String jobId) {
        return jobId == null ? NO_JOB : jobId;
    }
}
