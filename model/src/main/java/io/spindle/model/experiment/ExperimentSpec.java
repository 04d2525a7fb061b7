package io.spindle.model.experiment;

import java.util.List;

/**
 * What a client asks an experiment to do: replay the selected jobs under the {@code baseline} (their own config
 * version again; on unless false) and each candidate, {@code repetitions} times each, and score every output with the
 * scorers. The {@code original} arm (the recorded outputs) is always there and never re-run. With {@code shadow} the
 * experiment is a rolling one fed by an alias's shadow ({@link ShadowSpec}).
 */
public record ExperimentSpec(String id, String description, Selection selection, Boolean baseline, List<ArmConfig> candidates,
                             Integer repetitions, List<Scorer> scorers, Budget budget, Integer priority, ShadowSpec shadow) {
    public static final String ORIGINAL = "original";
    public static final String BASELINE = "baseline";
    /** Replays run below live traffic's default priority (5): in the queue's low band. */
    public static final int DEFAULT_REPLAY_PRIORITY = 1;

    public ExperimentSpec {
        candidates = candidates == null ? List.of() : List.copyOf(candidates);
        scorers = scorers == null ? List.of() : List.copyOf(scorers);
        budget = budget == null ? new Budget(null, null) : budget;
    }

    public boolean isRolling() {
        return shadow != null;
    }

    public int reps() {
        return repetitions == null ? 1 : repetitions;
    }

    public boolean runsBaseline() {
        return baseline == null || baseline;
    }

    public int replayPriority() {
        return priority == null ? DEFAULT_REPLAY_PRIORITY : priority;
    }

    /** The arms that re-run jobs, in report order. */
    public List<String> replayArms() {
        List<String> arms = new java.util.ArrayList<>();
        if (runsBaseline()) {
            arms.add(BASELINE);
        }
        candidates.forEach(c -> arms.add(c.name()));
        return arms;
    }

    /** Every arm, the original first. */
    public List<String> arms() {
        List<String> arms = new java.util.ArrayList<>(List.of(ORIGINAL));
        arms.addAll(replayArms());
        return arms;
    }

    public ExperimentSpec withScorers(List<Scorer> value) {
        return new ExperimentSpec(id, description, selection, baseline, candidates, repetitions, value, budget, priority, shadow);
    }
}
