package io.spindle.bridge.runtime;

import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerFailure;
import java.time.Duration;
import java.time.Instant;

/**
 * How long a shim may wait for its runtime: the config's {@code timeout_ms} (or the shim's default), cut short so
 * the shim answers {@code timeout} itself before the node's attempt deadline kills the whole worker process.
 */
public final class Deadlines {
    /** Kept back from the attempt's deadline for the answer to reach the node before it gives up. */
    static final Duration ANSWER_MARGIN = Duration.ofMillis(500);
    public static final String TIMEOUT_PARAM = "timeout_ms";
    private static final long MAX_TIMEOUT_MS = Duration.ofHours(24).toMillis();

    private Deadlines() {}

    /** The wait allowed for one call to the runtime; fails as a transient timeout when no time is left. */
    public static Duration budget(JobRun job, Duration fallback) throws WorkerFailure {
        long configured = new RunFields(job).integer(TIMEOUT_PARAM, fallback.toMillis(), 1, MAX_TIMEOUT_MS);
        Duration wanted = Duration.ofMillis(configured);
        if (job.deadline() == null || job.deadline().toEpochMilli() <= 0) {
            return wanted;
        }
        Duration left = Duration.between(Instant.now(), job.deadline()).minus(ANSWER_MARGIN);
        if (left.isNegative() || left.isZero()) {
            throw Failures.timeout("the attempt's deadline passed before the runtime was called");
        }
        return left.compareTo(wanted) < 0 ? left : wanted;
    }
}
