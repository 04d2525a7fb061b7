package io.spindle.model.gate;

/** One criterion's verdict, what was observed, and the n behind it (null when there was nothing to count). */
public record CriterionResult(Criterion criterion, Verdict verdict, String observed, Integer n) {

    static CriterionResult of(Criterion criterion, Verdict verdict, String observed, Integer n) {
        return new CriterionResult(criterion, verdict, observed, n);
    }

    static CriterionResult inconclusive(Criterion criterion, String why, Integer n) {
        return new CriterionResult(criterion, Verdict.INCONCLUSIVE, why, n);
    }
}
