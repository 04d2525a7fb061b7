package io.spindle.model.gate;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.spindle.model.stats.Direction;
import io.spindle.model.stats.Interval;
import io.spindle.model.stats.PairedComparison;
import java.util.Locale;

/**
 * One test a gate applies to the evidence. Each answers pass only when the 95 % interval clears its threshold,
 * fail when the interval lies wholly on the wrong side, and inconclusive in between or with fewer pairs (or jobs)
 * than the gate's minimum.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Criterion.NonInferiority.class, name = "non_inferiority"),
    @JsonSubTypes.Type(value = Criterion.WinRate.class, name = "win_rate"),
    @JsonSubTypes.Type(value = Criterion.LatencyRatio.class, name = "latency_ratio"),
    @JsonSubTypes.Type(value = Criterion.ErrorRateDelta.class, name = "error_rate_delta"),
})
public sealed interface Criterion {

    CriterionResult evaluate(GateEvidence evidence, int minPairs);

    /**
     * The candidate is at most {@code margin} worse than the baseline on {@code metric}: the whole interval of the
     * mean delta lies on the good side of −margin (higher is better) or +margin (lower is better).
     *
     * @param direction null: the metric's own direction from the evidence
     */
    record NonInferiority(String metric, Direction direction, double margin) implements Criterion {
        @Override
        public CriterionResult evaluate(GateEvidence evidence, int minPairs) {
            GateEvidence.MetricEvidence found = evidence.metrics().get(metric);
            if (found == null) {
                return CriterionResult.inconclusive(this, "no scores of metric '" + metric + "' for both arms", null);
            }
            PairedComparison c = found.comparison();
            if (c.n() < minPairs) {
                return CriterionResult.inconclusive(this, c.n() + " pairs, fewer than the " + minPairs + " required", c.n());
            }
            Direction d = direction != null ? direction : found.direction();
            Interval ci = c.meanDeltaInterval();
            // In "better is positive" units the candidate must not be worse than −margin.
            double low = d == Direction.HIGHER_IS_BETTER ? ci.lower() : -ci.upper();
            double high = d == Direction.HIGHER_IS_BETTER ? ci.upper() : -ci.lower();
            String observed = String.format(Locale.ROOT, "mean delta %.4g, 95%% CI [%.4g, %.4g] over %d pairs (%s is better), margin %.4g",
                    c.meanDelta(), ci.lower(), ci.upper(), c.n(), d.wireName(), margin);
            if (low > -margin) {
                return CriterionResult.of(this, Verdict.PASS, observed, c.n());
            }
            if (high < -margin) {
                return CriterionResult.of(this, Verdict.FAIL, observed + ": worse by more than the margin", c.n());
            }
            return CriterionResult.of(this, Verdict.INCONCLUSIVE, observed + ": the interval straddles the margin", c.n());
        }
    }

    /** The lower bound of the Wilson interval of the candidate's win rate on {@code metric} is at least {@code minLower}. */
    record WinRate(String metric, double minLower) implements Criterion {
        @Override
        public CriterionResult evaluate(GateEvidence evidence, int minPairs) {
            GateEvidence.MetricEvidence found = evidence.metrics().get(metric);
            if (found == null) {
                return CriterionResult.inconclusive(this, "no scores of metric '" + metric + "' for both arms", null);
            }
            PairedComparison c = found.comparison();
            if (c.n() < minPairs) {
                return CriterionResult.inconclusive(this, c.n() + " pairs, fewer than the " + minPairs + " required", c.n());
            }
            Interval w = c.winRateInterval();
            String observed = String.format(Locale.ROOT, "win/tie/loss %d/%d/%d, win rate %.3f, 95%% CI [%.3f, %.3f], required lower bound %.3f",
                    c.wins(), c.ties(), c.losses(), c.winRate(), w.lower(), w.upper(), minLower);
            if (w.lower() >= minLower) {
                return CriterionResult.of(this, Verdict.PASS, observed, c.n());
            }
            if (w.upper() < minLower) {
                return CriterionResult.of(this, Verdict.FAIL, observed, c.n());
            }
            return CriterionResult.of(this, Verdict.INCONCLUSIVE, observed, c.n());
        }
    }

    /** The candidate's latency percentile ({@code p50} or {@code p95}) is at most {@code maxRatio} times the baseline's. */
    record LatencyRatio(String percentile, double maxRatio) implements Criterion {
        /** A baseline faster than this is taken as this fast, so a ratio never divides by zero. */
        private static final double FLOOR_MILLIS = 1;

        @Override
        public CriterionResult evaluate(GateEvidence evidence, int minPairs) {
            boolean p95 = !"p50".equals(percentile);
            Double base = p95 ? evidence.baseline().p95Millis() : evidence.baseline().p50Millis();
            Double cand = p95 ? evidence.candidate().p95Millis() : evidence.candidate().p50Millis();
            int jobs = Math.min(evidence.baseline().jobs(), evidence.candidate().jobs());
            if (base == null || cand == null || jobs < minPairs) {
                return CriterionResult.inconclusive(this, "latency of " + jobs + " jobs per arm, " + minPairs + " required", jobs);
            }
            double ratio = cand / Math.max(base, FLOOR_MILLIS);
            String observed = String.format(Locale.ROOT, "%s %.0f ms vs %.0f ms: ratio %.3f, at most %.3f",
                    p95 ? "p95" : "p50", cand, base, ratio, maxRatio);
            return CriterionResult.of(this, ratio <= maxRatio ? Verdict.PASS : Verdict.FAIL, observed, jobs);
        }
    }

    /** The candidate's error rate exceeds the baseline's by at most {@code maxDelta} (e.g. 0.02: two points). */
    record ErrorRateDelta(double maxDelta) implements Criterion {
        @Override
        public CriterionResult evaluate(GateEvidence evidence, int minPairs) {
            Double base = evidence.baseline().errorRate();
            Double cand = evidence.candidate().errorRate();
            int jobs = Math.min(evidence.baseline().jobs(), evidence.candidate().jobs());
            if (base == null || cand == null || jobs < minPairs) {
                return CriterionResult.inconclusive(this, jobs + " finished jobs per arm, " + minPairs + " required", jobs);
            }
            double delta = cand - base;
            String observed = String.format(Locale.ROOT, "error rate %.3f vs %.3f: delta %.3f, at most %.3f", cand, base, delta, maxDelta);
            return CriterionResult.of(this, delta <= maxDelta ? Verdict.PASS : Verdict.FAIL, observed, jobs);
        }
    }
}
