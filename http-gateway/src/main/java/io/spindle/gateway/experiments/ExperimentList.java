package io.spindle.gateway.experiments;

import io.spindle.model.experiment.Experiment;
import io.spindle.model.experiment.Scorer;
import java.time.Instant;
import java.util.List;

/** {@code GET /experiments}: the most recent experiments, newest first, with their progress. */
public record ExperimentList(List<Summary> experiments) {

    public record Summary(String id, String description, String status, int sources, List<String> arms, List<String> scorers,
                          int replaysDone, int scoresDone, int pendingReplays, int pendingScores, Instant createdAt, Instant completedAt) {
        static Summary of(Experiment e) {
            return new Summary(e.id(), e.spec().description(), e.isComplete() ? "completed" : "running", e.sources().size(),
                    e.spec().arms(), e.spec().scorers().stream().map(Scorer::name).toList(), e.runs().size(), e.scores().size(),
                    e.pendingReplays().size(), e.pendingScores().size(), e.createdAt(), e.completedAt());
        }
    }
}
