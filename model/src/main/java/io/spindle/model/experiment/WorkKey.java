package io.spindle.model.experiment;

/**
 * One job an experiment runs: a replay of {@code sourceJob} in {@code arm} ({@code scorer} null), or a scorer's job over
 * that replay's output. Its {@link #idempotencyKey} names the job for good, so asking for it again never runs it twice.
 */
public record WorkKey(String scorer, String arm, String sourceJob, int repetition) {

    public static WorkKey replay(String arm, String sourceJob, int repetition) {
        return new WorkKey(null, arm, sourceJob, repetition);
    }

    public static WorkKey score(String scorer, String arm, String sourceJob, int repetition) {
        return new WorkKey(scorer, arm, sourceJob, repetition);
    }

    public boolean isScore() {
        return scorer != null;
    }

    public String idempotencyKey(String experiment) {
        String base = "experiment/" + experiment + "/" + arm + "/" + sourceJob + "/" + repetition;
        return scorer == null ? base : base + "/score/" + scorer;
    }
}
