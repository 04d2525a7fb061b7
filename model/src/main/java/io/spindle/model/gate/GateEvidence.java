package io.spindle.model.gate;

import io.spindle.model.stats.ArmLatency;
import io.spindle.model.stats.Direction;
import io.spindle.model.stats.PairedComparison;
import java.util.Map;

/**
 * What a gate judges: per metric, the candidate compared with the baseline over paired items, and how each of the
 * two arms ran. An experiment's report gives it for any two of its arms.
 */
public record GateEvidence(Map<String, MetricEvidence> metrics, ArmLatency baseline, ArmLatency candidate) {

    public record MetricEvidence(Direction direction, PairedComparison comparison) {}

    public GateEvidence {
        metrics = Map.copyOf(metrics);
    }
}
