package io.spindle.model.experiment;

/** One scorer's value for one arm output; {@code value} is null when the eval job failed ({@code error} says why). */
public record ScoreValue(String scorer, String metric, String arm, String sourceJob, int repetition, String jobId, Double value,
                         String error) {
    public WorkKey key() {
        return WorkKey.score(scorer, arm, sourceJob, repetition);
    }
}
