package io.spindle.model.experiment;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An experiment folded from its events: the spec, the frozen sources, every finished replay and score, and from
 * them the work still to do, in a fixed order (replays by source, arm and repetition, then scores), so the driver's
 * window of concurrent jobs always covers the same items. A rolling experiment (a shadow's) gains sources as live jobs are
 * mirrored; {@code liveSources} are those whose live job has not finished yet.
 */
public record Experiment(ExperimentSpec spec, List<SourceJob> sources, Map<WorkKey, ArmRun> runs, Map<WorkKey, ScoreValue> scores,
                         Instant createdAt, Instant completedAt, List<String> liveSources) {

    public Experiment {
        sources = List.copyOf(sources);
        liveSources = liveSources == null ? List.of() : List.copyOf(liveSources);
        runs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(runs));
        scores = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scores));
    }

    public static Experiment created(ExperimentEvent.Created e) {
        return new Experiment(e.spec(), e.sources(), Map.of(), Map.of(), e.at(), null, List.of());
    }

    public Experiment apply(ExperimentEvent event) {
        if (event instanceof ExperimentEvent.ReplayFinished r) {
            Map<WorkKey, ArmRun> next = new LinkedHashMap<>(runs);
            next.put(r.run().key(), r.run());
            return new Experiment(spec, sources, next, scores, createdAt, completedAt, liveSources);
        }
        if (event instanceof ExperimentEvent.ScoreRecorded s) {
            Map<WorkKey, ScoreValue> next = new LinkedHashMap<>(scores);
            next.put(s.score().key(), s.score());
            return new Experiment(spec, sources, runs, next, createdAt, completedAt, liveSources);
        }
        if (event instanceof ExperimentEvent.ScorersAdded a) {
            List<Scorer> all = new ArrayList<>(spec.scorers());
            all.addAll(a.scorers());
            return new Experiment(spec.withScorers(all), sources, runs, scores, createdAt, null, liveSources);
        }
        if (event instanceof ExperimentEvent.Completed c) {
            return new Experiment(spec, sources, runs, scores, createdAt, c.at(), liveSources);
        }
        if (event instanceof ExperimentEvent.ShadowStopped c) {
            return new Experiment(spec, sources, runs, scores, createdAt, c.at(), liveSources);
        }
        if (event instanceof ExperimentEvent.SourceAdded a) {
            if (source(a.source().jobId()).isPresent()) {
                return this;
            }
            List<SourceJob> more = new ArrayList<>(sources);
            more.add(a.source());
            List<String> live = new ArrayList<>(liveSources);
            live.add(a.source().jobId());
            return new Experiment(spec, more, runs, scores, createdAt, completedAt, live);
        }
        if (event instanceof ExperimentEvent.SourceFinished f) {
            List<SourceJob> next = new ArrayList<>();
            for (SourceJob s : sources) {
                if (!s.jobId().equals(f.jobId())) {
                    next.add(s);
                } else if (f.succeeded()) {
                    next.add(new SourceJob(s.jobId(), s.type(), s.configId(), s.configVersion(), s.input(), s.inputDigest(), f.outputs(),
                            f.artifactIds(), f.latencyMillis()));
                }
            }
            List<String> live = new ArrayList<>(liveSources);
            live.remove(f.jobId());
            return new Experiment(spec, next, runs, scores, createdAt, completedAt, live);
        }
        return this;
    }

    public String id() {
        return spec.id();
    }

    public boolean isComplete() {
        return completedAt != null;
    }

    public Optional<SourceJob> source(String jobId) {
        return sources.stream().filter(s -> s.jobId().equals(jobId)).findFirst();
    }

    /** The output an arm gave for a source: the recorded one for the original arm, a finished replay's otherwise. */
    public Optional<ArmRun> run(String arm, String sourceJob, int repetition) {
        if (ExperimentSpec.ORIGINAL.equals(arm)) {
            if (liveSources.contains(sourceJob)) {
                return Optional.empty(); // the live job has not finished yet
            }
            return source(sourceJob).map(s -> new ArmRun(arm, s.jobId(), 1, s.jobId(), true, s.latencyMillis(), s.outputs(),
                    s.artifactIds(), null));
        }
        return Optional.ofNullable(runs.get(WorkKey.replay(arm, sourceJob, repetition)));
    }

    /** Repetitions of an arm: the original was recorded once. */
    public int repetitions(String arm) {
        return ExperimentSpec.ORIGINAL.equals(arm) ? 1 : spec.reps();
    }

    /** Replays not finished yet, in driving order. */
    public List<WorkKey> pendingReplays() {
        List<WorkKey> pending = new ArrayList<>();
        for (SourceJob s : sources) {
            for (String arm : spec.replayArms()) {
                for (int rep = 1; rep <= spec.reps(); rep++) {
                    WorkKey key = WorkKey.replay(arm, s.jobId(), rep);
                    if (!runs.containsKey(key)) {
                        pending.add(key);
                    }
                }
            }
        }
        return pending;
    }

    /**
     * Scores not recorded yet whose arm output exists (a failed replay gets no score: it counts as an error). A live
     * source's outputs are not known yet, and a scorer may compare with them: its scores wait.
     */
    public List<WorkKey> pendingScores() {
        List<WorkKey> pending = new ArrayList<>();
        for (Scorer scorer : spec.scorers()) {
            for (SourceJob s : sources) {
                if (liveSources.contains(s.jobId())) {
                    continue;
                }
                for (String arm : spec.arms()) {
                    for (int rep = 1; rep <= repetitions(arm); rep++) {
                        WorkKey key = WorkKey.score(scorer.name(), arm, s.jobId(), rep);
                        boolean ready = run(arm, s.jobId(), rep).map(ArmRun::succeeded).orElse(false);
                        if (ready && !scores.containsKey(key)) {
                            pending.add(key);
                        }
                    }
                }
            }
        }
        return pending;
    }

    /** Scores that can never come: their replay has not finished yet. */
    public boolean hasWorkLeft() {
        return !pendingReplays().isEmpty() || !pendingScores().isEmpty();
    }

    public Optional<Scorer> scorer(String name) {
        return spec.scorers().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Jobs a spec with these sources runs at most: every replay and every score. */
    public static int plannedJobs(ExperimentSpec spec, int sources) {
        int replays = sources * spec.replayArms().size() * spec.reps();
        int outputs = sources + replays;
        return replays + outputs * spec.scorers().size();
    }
}
