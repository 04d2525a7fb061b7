package io.spindle.cli.bench;

import java.time.Duration;
import java.util.Collection;

/**
 * Percentiles of a set of latencies, in milliseconds, by the nearest-rank method: the p-th percentile is the
 * smallest sample with at least p% of the samples at or below it (so it is always one of the samples).
 * Null figures when there are no samples.
 */
public record LatencyStats(int count, Double p50Ms, Double p95Ms, Double p99Ms, Double maxMs) {
    private static final double NANOS_PER_MS = 1_000_000.0;

    public static LatencyStats of(Collection<Duration> samples) {
        long[] nanos = samples.stream().mapToLong(Duration::toNanos).sorted().toArray();
        if (nanos.length == 0) {
            return new LatencyStats(0, null, null, null, null);
        }
        return new LatencyStats(nanos.length, ms(percentile(nanos, 50)), ms(percentile(nanos, 95)),
                ms(percentile(nanos, 99)), ms(nanos[nanos.length - 1]));
    }

    /** The nearest-rank {@code p}-th percentile (0 < p ≤ 100) of ascending {@code sorted} samples. */
    public static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("a percentile is in (0, 100], got " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    private static double ms(long nanos) {
        return nanos / NANOS_PER_MS;
    }
}
