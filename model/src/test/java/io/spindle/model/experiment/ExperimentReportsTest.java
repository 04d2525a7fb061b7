package io.spindle.model.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.gate.Criterion;
import io.spindle.model.gate.Gate;
import io.spindle.model.gate.Verdict;
import io.spindle.model.json.Json;
import io.spindle.model.stats.Direction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExperimentReportsTest {
    private static final Instant T = Instant.parse("2026-12-01T00:00:00Z");
    private static final ObjectNode TEMPLATE = (ObjectNode) Json.object().put("value", "${arm.outputs.duration_ms}")
            .put("reference", "${original.outputs.duration_ms}").put("note", "job ${arm.job_id}");
    private static final Scorer DURATION = new Scorer("duration", "eval.duration_deviation", "eval-basic", 1, "duration_deviation",
            Direction.LOWER_IS_BETTER, TEMPLATE, null);

    private static Experiment experiment(int n) {
        ExperimentSpec spec = new ExperimentSpec("exp", null, null, true, List.of(new ArmConfig("flite", "tts-flite", 1)), 1,
                List.of(DURATION), null, null, null);
        List<SourceJob> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sources.add(new SourceJob("s" + i, "audio.tts", "tts-espeak", 1, Json.object().put("text", "t" + i), "d" + i,
                    Json.object().put("duration_ms", 1000 + i), List.of("art-s" + i), 100L));
        }
        return Experiment.created(new ExperimentEvent.Created(spec, sources, T));
    }

    @Test
    void theWorkToDoShrinksAsRunsAndScoresArriveAndTheReportPairsBySource() {
        Experiment e = experiment(3);
        assertEquals(6, e.pendingReplays().size());
        assertEquals(3, e.pendingScores().size(), "only the original arm's outputs exist yet");
        assertEquals(6 + 9, Experiment.plannedJobs(e.spec(), 3));

        for (String source : List.of("s0", "s1", "s2")) {
            e = e.apply(new ExperimentEvent.ReplayFinished(new ArmRun("baseline", source, 1, "b-" + source, true, 100L,
                    Json.object().put("duration_ms", 1000), List.of(), null), T));
            boolean failed = source.equals("s2");
            e = e.apply(new ExperimentEvent.ReplayFinished(new ArmRun("flite", source, 1, "f-" + source, !failed, 150L,
                    failed ? null : Json.object().put("duration_ms", 2000), List.of(), failed ? "crashed" : null), T));
        }
        assertEquals(List.of(), e.pendingReplays());
        assertEquals(3 + 3 + 2, e.pendingScores().size(), "a failed replay gets no score");
        for (WorkKey k : e.pendingScores()) {
            double value = k.arm().equals("flite") ? Math.log(2) : 0.0;
            e = e.apply(new ExperimentEvent.ScoreRecorded(new ScoreValue(k.scorer(), "duration_deviation", k.arm(), k.sourceJob(),
                    k.repetition(), "score-" + k.arm() + k.sourceJob(), value, null), T));
        }
        assertEquals(false, e.hasWorkLeft());

        ExperimentReport report = ExperimentReports.build(e);
        ExperimentReport.MetricComparison baselineVsFlite = report.comparisons().stream()
                .filter(c -> c.reference().equals("baseline") && c.candidate().equals("flite")).findFirst().orElseThrow();
        assertEquals(2, baselineVsFlite.comparison().n());
        assertEquals(Math.log(2), baselineVsFlite.comparison().meanDelta(), 1e-12);
        assertEquals(2, baselineVsFlite.comparison().losses());
        assertEquals(1.0 / 3, report.arms().get(2).latency().errorRate(), 1e-12);
        assertEquals(List.of("b-s0"), report.regressions().stream().filter(r -> r.reference().equals("baseline"))
                .findFirst().orElseThrow().referenceJobs());

        Gate loose = new Gate("loose", 2, List.of(new Criterion.NonInferiority("duration_deviation", null, 1.0)));
        Gate strict = new Gate("strict", 2, List.of(new Criterion.NonInferiority("duration_deviation", null, 0.1)));
        assertEquals(Verdict.PASS, loose.evaluate(ExperimentReports.evidence(e, "baseline", "flite")).verdict());
        assertEquals(Verdict.FAIL, strict.evaluate(ExperimentReports.evidence(e, "baseline", "flite")).verdict());
    }

    @Test
    void aScorerInputTakesValuesWholeOrAsText() {
        SourceJob s = experiment(1).sources().get(0);
        ArmRun arm = new ArmRun("flite", "s0", 1, "f-s0", true, 10L, Json.object().put("duration_ms", 1234), List.of("art-f"), null);
        ObjectNode filled = ScorerInput.fill(TEMPLATE.deepCopy().put("audio", "${arm.artifact_ids[0]}"), s, arm);
        assertEquals(Json.object().put("value", 1234).put("reference", 1000).put("note", "job f-s0").put("audio", "art-f"), filled);
        assertThrows(IllegalArgumentException.class, () -> ScorerInput.fill(Json.object().put("x", "${arm.outputs.missing}"), s, arm));
    }

    @Test
    void aBaselineRunTwiceGivesTheNoiseFloorOfEveryMetric() {
        assertEquals(List.of(), ExperimentReports.build(experiment(3)).noiseFloor(), "one repetition: no floor");

        ExperimentSpec twice = new ExperimentSpec("exp", null, null, true, List.of(new ArmConfig("flite", "tts-flite", 1)), 2,
                List.of(DURATION), null, null, null);
        Experiment e = Experiment.created(new ExperimentEvent.Created(twice, experiment(4).sources(), T));
        for (int i = 0; i < 4; i++) {
            for (int rep = 1; rep <= 2; rep++) {
                double value = 0.1 * i + (rep == 2 ? 0.02 : 0.0);
                e = e.apply(new ExperimentEvent.ScoreRecorded(new ScoreValue("duration", "duration_deviation", "baseline", "s" + i, rep,
                        "score-" + i + "-" + rep, value, null), T));
            }
        }

        List<ExperimentReport.NoiseFloor> floor = ExperimentReports.build(e).noiseFloor();
        assertEquals(1, floor.size());
        assertEquals("duration_deviation", floor.get(0).metric());
        assertEquals(4, floor.get(0).comparison().n());
        assertEquals(0.02, floor.get(0).comparison().meanDelta(), 1e-9, "the second run of the baseline against its first");
    }
}
