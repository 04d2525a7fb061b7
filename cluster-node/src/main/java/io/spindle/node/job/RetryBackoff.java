package io.spindle.node.job;

import java.time.Duration;

/**
 * Exponential backoff with jitter for retrying a job: {@code min(max, base * factor^(attempt-1))},
 * spread uniformly by {@code ±jitter} (a fraction of the delay) and capped at {@code max} again.
 */
public record RetryBackoff(Duration base, double factor, Duration max, double jitter) {

    public RetryBackoff {
        if (base.isNegative() || max.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff needs 0 <= base <= max, got base " + base + ", max " + max);
        }
        if (factor < 1.0) {
            throw new IllegalArgumentException("retry backoff factor must be >= 1.0, got " + factor);
        }
        if (jitter < 0.0 || jitter > 1.0) {
            throw new IllegalArgumentException("retry backoff jitter must be between 0.0 and 1.0, got " + jitter);
        }
    }

    /**
     * The delay before attempt {@code failedAttempt + 1}.
     *
     * @param failedAttempt the attempt that just failed, from 1
     * @param random a uniform draw from [0, 1) that places the delay within the jitter band
     */
    public Duration delayAfter(int failedAttempt, double random) {
        double exponential = base.toMillis() * Math.pow(factor, Math.max(0, failedAttempt - 1));
        double capped = Math.min(max.toMillis(), exponential);
        double jittered = capped * (1.0 - jitter + 2.0 * jitter * random);
        return Duration.ofMillis(Math.round(Math.min(max.toMillis(), Math.max(0.0, jittered))));
    }
}
