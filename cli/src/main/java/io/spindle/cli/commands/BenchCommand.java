package io.spindle.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.cli.bench.BenchPlan;
import io.spindle.cli.bench.BenchReport;
import io.spindle.cli.bench.BenchReportText;
import io.spindle.cli.bench.BenchRun;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.SpindleClient;
import io.spindle.model.json.Json;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", sortOptions = false,
        description = {"Load harness: submit N jobs, wait for all, print throughput and latencies.",
            "Prints throughput (jobs/s end to end), submit rate, submit->start and submit->done latency "
                + "p50/p95/p99/max (from the jobs' own timestamps), the same from the moment the bench sent each request "
                + "(sent->start, sent->done: with HTTP and job creation; same clock as the node needed), counts by final "
                + "status, and failures.",
            "Submissions the node refuses with 429 (overloaded) are counted as throttled and resubmitted after Retry-After.",
            "Example: spindle bench --config echo-v1 -n 5000 --batch 100 --concurrency 4",
            "         spindle bench --config echo-java --noop -n 2000 -c 32   (the fabric alone: no artifact, no S3)"})
public final class BenchCommand extends ClientCommand {
    public static final String DEFAULT_TYPE = "cpu.echo";
    public static final String SLEEP_TYPE = "cpu.sleep";
    /** The built-in that does nothing and writes no artifact. */
    public static final String NOOP_TYPE = "cpu.noop";
    /** The input field cpu.sleep reads its duration from. */
    public static final String SLEEP_INPUT_FIELD = "duration_ms";
    private static final String MAX_CONNECTIONS = "http.maxConnections";
    /** Whether the JDK sends a POST again, unasked, when a kept-alive connection fails before the answer. */
    private static final String RETRY_POST = "sun.net.http.retryPost";
    private static final int DEFAULT_MAX_CONNECTIONS = 5;

    @Option(names = "--config", required = true, paramLabel = "ID", description = "The config to load.")
    String configId;

    @Option(names = {"-n", "--jobs"}, paramLabel = "N", defaultValue = "1000", description = "How many jobs (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--type", paramLabel = "TYPE", description = "The job type (default " + DEFAULT_TYPE + "; " + SLEEP_TYPE
            + " with --sleep-ms, " + NOOP_TYPE + " with --noop).")
    String type;

    @Option(names = "--sleep-ms", paramLabel = "MS", description = "Run " + SLEEP_TYPE + " jobs sleeping MS each.")
    Long sleepMs;

    @Option(names = "--noop", description = "Run " + NOOP_TYPE + " jobs: they do nothing and write no artifact, so the run"
            + " measures the fabric (submit, queue, lease, journal), not the worker or S3.")
    boolean noop;

    @Option(names = "--input", paramLabel = "JSON|@FILE", description = "The jobs' input (default {} or the sleep).")
    String input;

    @Option(names = "--priority", paramLabel = "N", description = "The jobs' priority (server default 5).")
    Integer priority;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "Jobs per request; more than 1 uses POST /jobs/batch (server limit 500 by default). Default ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", defaultValue = "8",
            description = "Submit requests in flight at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--rate", paramLabel = "JOBS_PER_S", defaultValue = "0",
            description = "Submit at most this many jobs per second (0: as fast as the concurrency allows).")
    double rate;

    @Option(names = "--poll-ms", paramLabel = "MS", defaultValue = "200", description = "Pause between polls while waiting (default ${DEFAULT-VALUE}).")
    long pollMs;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Stop waiting after this long and report the unfinished (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    protected int run(SpindleClient client) throws InterruptedException {
        configurePlainConnections();
        BenchReport report = BenchRun.run(client, plan(), err());
        if (json()) {
            out().println(ApiJson.compact(ApiJson.mapper().valueToTree(report)));
        } else {
            out().print(BenchReportText.render(report));
        }
        return ExitCodes.OK;
    }

    /**
     * The bench submits from {@code --concurrency} threads, each on a kept-alive connection of its own; the JDK keeps
     * only {@code http.maxConnections} idle ones per server (5 by default) and closes the others after each request.
     * Its jobs carry no idempotency key, so a POST the JDK sent a second time on its own could create a job twice:
     * that resend is turned off, and such a failure counts as the server being unreachable. Both are read once, at the
     * first plain connection of the process: set before any, unless given on the command line.
     */
    private void configurePlainConnections() {
        if (System.getProperty(MAX_CONNECTIONS) == null) {
            System.setProperty(MAX_CONNECTIONS, String.valueOf(Math.max(concurrency, DEFAULT_MAX_CONNECTIONS)));
        }
        if (System.getProperty(RETRY_POST) == null) {
            System.setProperty(RETRY_POST, "false");
        }
    }

    BenchPlan plan() {
        if (jobs < 1 || batch < 1 || concurrency < 1 || rate < 0 || pollMs < 1 || timeoutSeconds < 1) {
            throw usage("--jobs, --batch, --concurrency, --poll-ms and --timeout must be at least 1, --rate at least 0");
        }
        if (sleepMs != null && sleepMs < 0) {
            throw usage("--sleep-ms must not be negative");
        }
        if (noop && (type != null || sleepMs != null)) {
            throw usage("--noop runs " + NOOP_TYPE + "; give it without --type and --sleep-ms");
        }
        String jobType = noop ? NOOP_TYPE : type != null ? type : sleepMs != null ? SLEEP_TYPE : DEFAULT_TYPE;
        ObjectNode jobInput;
        if (input != null) {
            jobInput = (ObjectNode) JsonArgument.parseObject(spec.commandLine(), "--input", input);
        } else {
            jobInput = Json.object();
            if (sleepMs != null) {
                jobInput.put(SLEEP_INPUT_FIELD, sleepMs);
            }
        }
        return new BenchPlan(jobs, jobType, configId, jobInput, priority, Math.min(batch, jobs), concurrency, rate,
                Duration.ofMillis(pollMs), Duration.ofSeconds(timeoutSeconds));
    }
}
