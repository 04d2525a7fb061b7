package io.spindle.model.stats;

import java.util.List;

/**
 * How one arm's jobs ran: latency percentiles of those that succeeded and the share that did not.
 *
 * @param jobs finished jobs of the arm (succeeded + failed)
 * @param errorRate null when no job finished; the percentiles are null when none succeeded
 */
public record ArmLatency(int jobs, int failed, Double errorRate, Double p50Millis, Double p95Millis) {
    public static final double P50 = 0.50;
    public static final double P95 = 0.95;

    /** From the latencies of the succeeded jobs and the count of failed ones. */
    public static ArmLatency of(List<Long> succeededMillis, int failed) {
        int jobs = succeededMillis.size() + failed;
        boolean anySucceeded = !succeededMillis.isEmpty();
        return new ArmLatency(jobs, failed, jobs == 0 ? null : failed / (double) jobs,
                anySucceeded ? Percentiles.of(succeededMillis, P50) : null, anySucceeded ? Percentiles.of(succeededMillis, P95) : null);
    }
}
