package io.spindle.model.experiment;

import io.spindle.model.gate.GateEvidence;
import io.spindle.model.stats.ArmLatency;
import io.spindle.model.stats.PairedComparison;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Builds an {@link ExperimentReport} and a gate's evidence from an experiment's recorded runs and scores. */
public final class ExperimentReports {
    /** Regressions listed per metric and arm pair. */
    public static final int TOP_REGRESSIONS = 5;
    /** The bootstrap's seed: fixed, so the same scores always give the same intervals. */
    private static final long SEED = 20261203L;

    private ExperimentReports() {}

    public static ExperimentReport build(Experiment e) {
        List<ExperimentReport.ArmSummary> arms = e.spec().arms().stream()
                .map(arm -> new ExperimentReport.ArmSummary(arm, latency(e, arm))).toList();
        List<ExperimentReport.MetricComparison> comparisons = new ArrayList<>();
        List<ExperimentReport.Regression> regressions = new ArrayList<>();
        List<String> order = e.spec().arms();
        for (Scorer scorer : e.spec().scorers()) {
            for (int r = 0; r < order.size(); r++) {
                for (int c = r + 1; c < order.size(); c++) {
                    String reference = order.get(r);
                    String candidate = order.get(c);
                    comparisons.add(new ExperimentReport.MetricComparison(scorer.metric(), scorer.name(), scorer.direction(), reference,
                            candidate, compare(e, scorer, reference, candidate)));
                    regressions.addAll(regressions(e, scorer, reference, candidate));
                }
            }
        }
        int pending = e.pendingReplays().size() + e.pendingScores().size();
        return new ExperimentReport(e.id(), e.isComplete() ? "completed" : "running", e.sources().size(), pending, arms, comparisons,
                regressions, noiseFloor(e));
    }

    /** Per scorer, the baseline's first repetition against its second; none unless the baseline ran twice or more. */
    static List<ExperimentReport.NoiseFloor> noiseFloor(Experiment e) {
        if (!e.spec().arms().contains(ExperimentSpec.BASELINE) || e.repetitions(ExperimentSpec.BASELINE) < 2) {
            return List.of();
        }
        List<ExperimentReport.NoiseFloor> floors = new ArrayList<>();
        for (Scorer scorer : e.spec().scorers()) {
            List<PairedComparison.Pair> pairs = new ArrayList<>();
            for (SourceJob s : e.sources()) {
                ScoreValue first = e.scores().get(WorkKey.score(scorer.name(), ExperimentSpec.BASELINE, s.jobId(), 1));
                ScoreValue second = e.scores().get(WorkKey.score(scorer.name(), ExperimentSpec.BASELINE, s.jobId(), 2));
                if (first != null && first.value() != null && second != null && second.value() != null) {
                    pairs.add(new PairedComparison.Pair(first.value(), second.value()));
                }
            }
            floors.add(new ExperimentReport.NoiseFloor(scorer.metric(), scorer.name(),
                    PairedComparison.of(pairs, scorer.direction(), scorer.tolerance(), SEED)));
        }
        return floors;
    }

    /** What a gate judges for {@code candidate} against {@code reference}: every scorer's metric and both arms' runs. */
    public static GateEvidence evidence(Experiment e, String reference, String candidate) {
        Map<String, GateEvidence.MetricEvidence> metrics = new LinkedHashMap<>();
        for (Scorer scorer : e.spec().scorers()) {
            metrics.put(scorer.metric(), new GateEvidence.MetricEvidence(scorer.direction(), compare(e, scorer, reference, candidate)));
        }
        return new GateEvidence(metrics, latency(e, reference), latency(e, candidate));
    }

    static ArmLatency latency(Experiment e, String arm) {
        List<Long> millis = new ArrayList<>();
        int failed = 0;
        for (SourceJob s : e.sources()) {
            for (int rep = 1; rep <= e.repetitions(arm); rep++) {
                ArmRun run = e.run(arm, s.jobId(), rep).orElse(null);
                if (run == null) {
                    continue;
                }
                if (!run.succeeded()) {
                    failed++;
                } else if (run.latencyMillis() != null) {
                    millis.add(run.latencyMillis());
                }
            }
        }
        return ArmLatency.of(millis, failed);
    }

    private static PairedComparison compare(Experiment e, Scorer scorer, String reference, String candidate) {
        List<PairedComparison.Pair> pairs = new ArrayList<>();
        for (SourceJob s : e.sources()) {
            OptionalDouble ref = mean(e, scorer, reference, s.jobId());
            OptionalDouble cand = mean(e, scorer, candidate, s.jobId());
            if (ref.isPresent() && cand.isPresent()) {
                pairs.add(new PairedComparison.Pair(ref.getAsDouble(), cand.getAsDouble()));
            }
        }
        return PairedComparison.of(pairs, scorer.direction(), scorer.tolerance(), SEED);
    }

    /** The arm's score for a source, averaged over its repetitions that were scored. */
    private static OptionalDouble mean(Experiment e, Scorer scorer, String arm, String sourceJob) {
        List<Double> values = new ArrayList<>();
        for (int rep = 1; rep <= e.repetitions(arm); rep++) {
            ScoreValue v = e.scores().get(WorkKey.score(scorer.name(), arm, sourceJob, rep));
            if (v != null && v.value() != null) {
                values.add(v.value());
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).average();
    }

    private static List<ExperimentReport.Regression> regressions(Experiment e, Scorer scorer, String reference, String candidate) {
        List<ExperimentReport.Regression> found = new ArrayList<>();
        for (SourceJob s : e.sources()) {
            OptionalDouble ref = mean(e, scorer, reference, s.jobId());
            OptionalDouble cand = mean(e, scorer, candidate, s.jobId());
            if (ref.isEmpty() || cand.isEmpty()) {
                continue;
            }
            double delta = cand.getAsDouble() - ref.getAsDouble();
            if (delta * scorer.direction().sign() < -scorer.tolerance()) {
                found.add(new ExperimentReport.Regression(scorer.metric(), reference, candidate, s.jobId(), delta,
                        jobs(e, reference, s.jobId()), jobs(e, candidate, s.jobId())));
            }
        }
        found.sort(Comparator.comparingDouble(r -> r.delta() * scorer.direction().sign()));
        return found.subList(0, Math.min(TOP_REGRESSIONS, found.size()));
    }

    private static List<String> jobs(Experiment e, String arm, String sourceJob) {
        List<String> ids = new ArrayList<>();
        for (int rep = 1; rep <= e.repetitions(arm); rep++) {
            e.run(arm, sourceJob, rep).ifPresent(run -> ids.add(run.jobId()));
        }
        return ids;
    }
}
