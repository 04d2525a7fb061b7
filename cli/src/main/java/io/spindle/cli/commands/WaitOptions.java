package io.spindle.cli.commands;

import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How {@code wait} and {@code submit --wait} poll the job. */
public final class WaitOptions {
    public static final int DEFAULT_INTERVAL_MS = 1000;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "" + DEFAULT_INTERVAL_MS,
            description = "Longest pause between two polls of the job (they start at 100 ms and back off; default ${DEFAULT-VALUE}).")
    int intervalMs;

    /** Waits for the job to be terminal, then prints it (its JSON with --json) and answers the exit code of its outcome. */
    int awaitAndPrint(SpindleClient client, String jobId, boolean json, PrintWriter out) throws InterruptedException {
        JobWatcher.Mode mode = json ? JobWatcher.Mode.QUIET
                : System.console() != null ? JobWatcher.Mode.LIVE : JobWatcher.Mode.LINES;
        ApiReply done = new JobWatcher(client, out, mode, Duration.ofMillis(Math.max(1, intervalMs)), Clock.systemUTC()).await(jobId);
        return JobPrinting.print(done, json, out);
    }
}
