package io.spindle.model.experiment;

import io.spindle.model.job.JobStatus;
import java.time.Instant;
import java.util.Map;

/**
 * Which historical jobs an experiment replays; null fields do not filter. {@code alias} keeps the jobs submitted to
 * that alias; {@code status} defaults to succeeded (only those have outputs to compare). {@code sample} (n, seed)
 * draws n of the matching jobs reproducibly; {@code max_scan} bounds how many jobs the filter reads.
 */
public record Selection(String type, String configId, String alias, JobStatus status, Instant since, Instant until,
                        Map<String, String> labels, Integer sample, Long seed) {
    public Selection {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
