package io.spindle.model.experiment;

/**
 * What an experiment may spend: at most {@code max_jobs} jobs in all (replays and scorers; creation is refused
 * above it) and {@code max_concurrent} of them unfinished at any time, which is how replays leave room for live
 * traffic beside their lower priority.
 */
public record Budget(Integer maxJobs, Integer maxConcurrent) {
    public static final int DEFAULT_MAX_JOBS = 1000;
    public static final int DEFAULT_MAX_CONCURRENT = 4;

    public int jobs() {
        return maxJobs == null ? DEFAULT_MAX_JOBS : maxJobs;
    }

    public int concurrent() {
        return maxConcurrent == null ? DEFAULT_MAX_CONCURRENT : maxConcurrent;
    }
}
