package io.spindle.gateway.experiments;

import io.spindle.model.experiment.Experiment;
import io.spindle.model.experiment.ExperimentSpec;
import io.spindle.model.experiment.SourceJob;
import java.time.Instant;
import java.util.List;

/** {@code GET /experiments/{id}}: the spec, the frozen sources (ids and digests) and progress. */
public record ExperimentView(String id, String status, ExperimentSpec spec, List<Source> sources, int replaysDone, int scoresDone,
                             int pendingReplays, int pendingScores, Instant createdAt, Instant completedAt) {

    public record Source(String jobId, String inputDigest) {}

    public static ExperimentView of(Experiment e) {
        return new ExperimentView(e.id(), e.isComplete() ? "completed" : "running", e.spec(),
                e.sources().stream().map((SourceJob s) -> new Source(s.jobId(), s.inputDigest())).toList(), e.runs().size(),
                e.scores().size(), e.pendingReplays().size(), e.pendingScores().size(), e.createdAt(), e.completedAt());
    }
}
