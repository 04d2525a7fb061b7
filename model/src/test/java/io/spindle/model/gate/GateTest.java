package io.spindle.model.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spindle.model.json.Json;
import io.spindle.model.stats.ArmLatency;
import io.spindle.model.stats.Direction;
import io.spindle.model.stats.PairedComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class GateTest {
    private static final int PAIRS = 40;
    private static final ArmLatency FAST = latency(100, 0);

    /** {@value #PAIRS} jobs: {@code failed} of them failed, the others took from {@code fromMillis} on, a ms apart. */
    private static ArmLatency latency(long fromMillis, int failed) {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < PAIRS - failed; i++) {
            millis.add(fromMillis + i);
        }
        return ArmLatency.of(millis, failed);
    }

    /** WER-like scores: the candidate is {@code shift} worse than the baseline on average, with noise {@code noise}. */
    private static GateEvidence evidence(int n, double shift, double noise, ArmLatency baseline, ArmLatency candidate) {
        Random r = new Random(42);
        List<PairedComparison.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double base = 0.2 + 0.05 * r.nextGaussian();
            pairs.add(new PairedComparison.Pair(base, base + shift + noise * r.nextGaussian()));
        }
        PairedComparison c = PairedComparison.of(pairs, Direction.LOWER_IS_BETTER, 1e-9, 9);
        return new GateEvidence(Map.of("wer", new GateEvidence.MetricEvidence(Direction.LOWER_IS_BETTER, c)), baseline, candidate);
    }

    private static Gate werGate(int minPairs) {
        return new Gate("tts-quality", minPairs, List.of(new Criterion.NonInferiority("wer", null, 0.02),
                new Criterion.LatencyRatio("p95", 1.5), new Criterion.ErrorRateDelta(0.05)));
    }

    @Test
    void aCandidateAsGoodAsTheBaselinePasses() {
        GateResult r = werGate(30).evaluate(evidence(PAIRS, 0.0, 0.01, FAST, FAST));
        assertEquals(Verdict.PASS, r.verdict(), r::toString);
    }

    @Test
    void aCandidateClearlyWorseThanTheMarginFails() {
        GateResult r = werGate(30).evaluate(evidence(PAIRS, 0.10, 0.01, FAST, FAST));
        assertEquals(Verdict.FAIL, r.verdict(), r::toString);
        assertEquals(Verdict.FAIL, r.criteria().get(0).verdict());
    }

    @Test
    void anIntervalStraddlingTheMarginIsInconclusive() {
        GateResult r = werGate(30).evaluate(evidence(PAIRS, 0.02, 0.08, FAST, FAST));
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    }

    @Test
    void tooFewPairsAreInconclusiveHoweverGoodTheyLook() {
        GateResult r = werGate(30).evaluate(evidence(5, -0.05, 0.0, FAST, FAST));
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    }

    @Test
    void aSlowerCandidateFailsTheLatencyRatioEvenWhenItsScoresPass() {
        ArmLatency slow = latency(300, 0);
        GateResult r = werGate(30).evaluate(evidence(PAIRS, 0.0, 0.01, FAST, slow));
        assertEquals(Verdict.FAIL, r.verdict(), r::toString);
        assertEquals(Verdict.FAIL, r.criteria().get(1).verdict());
    }

    @Test
    void moreErrorsThanAllowedFail() {
        ArmLatency failing = latency(100, 4);
        GateResult r = new Gate("errors", 30, List.of(new Criterion.ErrorRateDelta(0.05))).evaluate(evidence(PAIRS, 0, 0, FAST, failing));
        assertEquals(Verdict.FAIL, r.verdict(), r::toString);
    }

    @Test
    void winRateDecidesOnItsWilsonBounds() {
        GateEvidence better = evidence(PAIRS, -0.05, 0.01, FAST, FAST);
        GateEvidence worse = evidence(PAIRS, 0.05, 0.01, FAST, FAST);
        GateEvidence coinFlip = evidence(PAIRS, 0.0, 0.05, FAST, FAST);
        Gate gate = new Gate("wins", 30, List.of(new Criterion.WinRate("wer", 0.5)));
        assertEquals(Verdict.PASS, gate.evaluate(better).verdict());
        assertEquals(Verdict.FAIL, gate.evaluate(worse).verdict());
        assertEquals(Verdict.INCONCLUSIVE, gate.evaluate(coinFlip).verdict());
    }

    @Test
    void aMetricNoScorerProducedIsInconclusive() {
        GateResult r = new Gate("ssim", 1, List.of(new Criterion.NonInferiority("ssim", Direction.HIGHER_IS_BETTER, 0.01)))
                .evaluate(evidence(PAIRS, 0, 0, FAST, FAST));
        assertEquals(Verdict.INCONCLUSIVE, r.verdict(), r::toString);
    }

    @Test
    void aGateReadsFromItsJson() throws Exception {
        Gate g = Json.mapper().readValue("""
                {"name": "tts", "min_pairs": 20, "criteria": [
                  {"kind": "non_inferiority", "metric": "wer", "direction": "lower", "margin": 0.02},
                  {"kind": "win_rate", "metric": "wer", "min_lower": 0.4},
                  {"kind": "latency_ratio", "percentile": "p95", "max_ratio": 1.2},
                  {"kind": "error_rate_delta", "max_delta": 0.01}]}""", Gate.class);
        assertEquals(new Gate("tts", 20, List.of(new Criterion.NonInferiority("wer", Direction.LOWER_IS_BETTER, 0.02),
                new Criterion.WinRate("wer", 0.4), new Criterion.LatencyRatio("p95", 1.2), new Criterion.ErrorRateDelta(0.01))), g);
        assertEquals(g, Json.mapper().readValue(Json.mapper().writeValueAsString(g), Gate.class));
    }
}
