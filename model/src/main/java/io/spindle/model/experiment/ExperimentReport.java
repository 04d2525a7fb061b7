package io.spindle.model.experiment;

import io.spindle.model.stats.ArmLatency;
import io.spindle.model.stats.Direction;
import io.spindle.model.stats.PairedComparison;
import java.util.List;

/**
 * What an experiment found: per arm, how its jobs ran; per metric and arm pair (candidate against reference), the
 * paired comparison over sources (each arm's repetitions averaged per source first); the sources where the candidate
 * did worst, linking both jobs. Every figure carries its n. Recomputed from the events on every read.
 */
public record ExperimentReport(String experiment, String status, int sources, int pendingJobs, List<ArmSummary> arms,
                               List<MetricComparison> comparisons, List<Regression> regressions, List<NoiseFloor> noiseFloor) {

    public record ArmSummary(String arm, ArmLatency latency) {}

    public record MetricComparison(String metric, String scorer, Direction direction, String reference, String candidate,
                                   PairedComparison comparison) {}

    /**
     * The baseline against itself: its first repetition (reference) and its second (candidate) per source, with the
     * same statistics as a comparison. A candidate's delta inside this interval is indistinguishable from re-running
     * the original config. Present when the baseline ran at least twice.
     */
    public record NoiseFloor(String metric, String scorer, PairedComparison comparison) {}

    /** One source where the candidate scored worse than the reference; {@code delta} is candidate − reference. */
    public record Regression(String metric, String reference, String candidate, String sourceJob, double delta,
                             List<String> referenceJobs, List<String> candidateJobs) {}
}
