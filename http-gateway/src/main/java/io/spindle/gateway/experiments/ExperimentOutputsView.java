package io.spindle.gateway.experiments;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.experiment.ArmRun;
import io.spindle.model.experiment.Experiment;
import io.spindle.model.experiment.ScoreValue;
import io.spindle.model.experiment.SourceJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /experiments/{id}/outputs}: per source, what every arm gave (the original's recorded outputs, each finished
 * replay's job, outputs, artifacts and run time) and every score recorded for it, for comparing them side by side.
 * {@code expected_runs} per arm is sources × repetitions, so progress per arm is runs over it.
 */
public record ExperimentOutputsView(String experiment, List<ArmProgress> arms, List<SourceOutputs> sources) {

    public record ArmProgress(String arm, int expectedRuns, int finishedRuns, int failedRuns) {}

    public record SourceOutputs(String jobId, String type, String inputDigest, JsonNode input, List<ArmRun> runs, List<ScoreValue> scores) {}

    public static ExperimentOutputsView of(Experiment e) {
        List<SourceOutputs> sources = new ArrayList<>();
        for (SourceJob s : e.sources()) {
            List<ArmRun> runs = new ArrayList<>();
            for (String arm : e.spec().arms()) {
                for (int rep = 1; rep <= e.repetitions(arm); rep++) {
                    e.run(arm, s.jobId(), rep).ifPresent(runs::add);
                }
            }
            List<ScoreValue> scores = e.scores().values().stream().filter(v -> v.sourceJob().equals(s.jobId())).toList();
            sources.add(new SourceOutputs(s.jobId(), s.type(), s.inputDigest(), s.input(), runs, scores));
        }
        List<ArmProgress> arms = e.spec().arms().stream().map(arm -> {
            List<Optional<ArmRun>> runs = new ArrayList<>();
            for (SourceJob s : e.sources()) {
                for (int rep = 1; rep <= e.repetitions(arm); rep++) {
                    runs.add(e.run(arm, s.jobId(), rep));
                }
            }
            int finished = (int) runs.stream().filter(Optional::isPresent).count();
            int failed = (int) runs.stream().flatMap(Optional::stream).filter(r -> !r.succeeded()).count();
            return new ArmProgress(arm, runs.size(), finished, failed);
        }).toList();
        return new ExperimentOutputsView(e.id(), arms, sources);
    }
}
