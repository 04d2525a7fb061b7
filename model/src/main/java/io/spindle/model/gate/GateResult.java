package io.spindle.model.gate;

import java.util.List;

/** A gate's verdict on some evidence, with each criterion's own verdict and what it saw. */
public record GateResult(String gate, Verdict verdict, List<CriterionResult> criteria) {
    public GateResult {
        criteria = List.copyOf(criteria);
    }
}
