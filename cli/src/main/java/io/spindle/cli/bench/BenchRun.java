package io.spindle.cli.bench;

import io.spindle.cli.client.SpindleClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** One bench run: submit the plan's jobs, wait for them to finish, compute the report. */
public final class BenchRun {
    /** Margin below the earliest created_at when listing the run's jobs, so an inclusive/exclusive edge cannot drop one. */
    static final Duration SINCE_MARGIN = Duration.ofSeconds(1);
    private static final int RUN_ID_BYTES = 4;

    private BenchRun() {}

    /** Runs {@code plan}, telling {@code progress} (stderr, say) what it is doing; answers the figures. */
    public static BenchReport run(SpindleClient client, BenchPlan plan, PrintWriter progress) throws InterruptedException {
        byte[] random = new byte[RUN_ID_BYTES];
        ThreadLocalRandom.current().nextBytes(random);
        String runId = HexFormat.of().formatHex(random);
        progress.printf("bench %s: submitting %d x %s to %s…%n", runId, plan.jobs(), plan.type(), plan.configId());
        progress.flush();
        BenchSubmitter.Submitted submitted = new BenchSubmitter(client, plan, runId).submitAll();
        Instant since = submitted.accepted().values().stream().min(Instant::compareTo).orElse(Instant.now()).minus(SINCE_MARGIN);
        progress.printf("bench %s: %d accepted in %.1fs, waiting for them to finish…%n",
                runId, submitted.accepted().size(), submitted.elapsed().toMillis() / 1000.0);
        progress.flush();
        CompletionTracker.Outcome outcome = new CompletionTracker(client, plan.configId(), since, plan.pollInterval(), plan.timeout())
                .await(inSubmitOrder(submitted.accepted()));
        return BenchReport.of(plan, runId, submitted, outcome);
    }

    /** The accepted job ids, oldest first by the time the node created them. */
    static List<String> inSubmitOrder(Map<String, Instant> accepted) {
        return accepted.entrySet().stream()
                .sorted(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .toList();
    }
}
