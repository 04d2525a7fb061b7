package io.spindle.model.gate;

import java.util.List;

/**
 * A named set of criteria a candidate must meet before an alias may be promoted to it. Every criterion needs at
 * least {@code minPairs} pairs (or finished jobs per arm), so a handful of lucky samples can never pass.
 */
public record Gate(String name, int minPairs, List<Criterion> criteria) {
    /** Without a stated minimum, thirty pairs: below that the intervals are too wide to decide most margins. */
    public static final int DEFAULT_MIN_PAIRS = 30;

    public Gate {
        criteria = criteria == null ? List.of() : List.copyOf(criteria);
    }

    public GateResult evaluate(GateEvidence evidence) {
        List<CriterionResult> results = criteria.stream().map(c -> c.evaluate(evidence, minPairs)).toList();
        return new GateResult(name, Verdict.combine(results.stream().map(CriterionResult::verdict).toList()), results);
    }
}
