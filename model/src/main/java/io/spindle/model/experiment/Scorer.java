package io.spindle.model.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.stats.Direction;

/**
 * An {@code eval.*} job run once per arm output: its type, the config (and pinned version) that runs it, the metric it
 * reports ({@code {"metric", "value", "details"}} in its outputs) and which way that metric improves, and the input
 * template filled from the source job and the arm's output ({@link ScorerInput}). Pairs within {@code tie_tolerance}
 * are ties.
 */
public record Scorer(String name, String type, String configId, Integer configVersion, String metric, Direction direction,
                     ObjectNode input, Double tieTolerance) {
    public static final double DEFAULT_TIE_TOLERANCE = 1e-9;

    public double tolerance() {
        return tieTolerance == null ? DEFAULT_TIE_TOLERANCE : tieTolerance;
    }

    public Scorer withConfigVersion(int version) {
        return new Scorer(name, type, configId, version, metric, direction, input, tieTolerance);
    }
}
