package io.spindle.cli.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * What one bench run does: {@code jobs} jobs of {@code type} with {@code input} on {@code configId}, submitted
 * {@code batch} per request with at most {@code concurrency} requests in flight, and at most {@code rate} jobs/s
 * when rate is positive; then polled every {@code pollInterval} until all are terminal or {@code timeout} passes.
 */
public record BenchPlan(
        int jobs,
        String type,
        String configId,
        ObjectNode input,
        Integer priority,
        int batch,
        int concurrency,
        double rate,
        Duration pollInterval,
        Duration timeout) {

    public BenchPlan {
        if (jobs < 1 || batch < 1 || concurrency < 1 || rate < 0) {
            throw new IllegalArgumentException("jobs, batch and concurrency must be at least 1 and rate not negative");
        }
    }

    public boolean rateLimited() {
        return rate > 0;
    }
}
