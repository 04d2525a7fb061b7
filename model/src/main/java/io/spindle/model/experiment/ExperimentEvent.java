package io.spindle.model.experiment;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.gate.Verdict;
import java.time.Instant;
import java.util.List;

/** Every journaled step of an experiment; the JSON type names are stable (they live in the journal for good). */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ExperimentEvent.Created.class, name = "created"),
    @JsonSubTypes.Type(value = ExperimentEvent.ReplayFinished.class, name = "replay_finished"),
    @JsonSubTypes.Type(value = ExperimentEvent.ScoreRecorded.class, name = "score_recorded"),
    @JsonSubTypes.Type(value = ExperimentEvent.ScorersAdded.class, name = "scorers_added"),
    @JsonSubTypes.Type(value = ExperimentEvent.Completed.class, name = "completed"),
    @JsonSubTypes.Type(value = ExperimentEvent.SourceAdded.class, name = "source_added"),
    @JsonSubTypes.Type(value = ExperimentEvent.SourceFinished.class, name = "source_finished"),
    @JsonSubTypes.Type(value = ExperimentEvent.ShadowStopped.class, name = "shadow_stopped"),
})
public sealed interface ExperimentEvent {
    /** Every experiment event carries this tag: a restarted node finds unfinished experiments by it. */
    String TAG = "experiment";

    Instant at();

    /** The spec (arms and scorers pinned to config versions) and the selection frozen as source jobs. */
    record Created(ExperimentSpec spec, List<SourceJob> sources, Instant at) implements ExperimentEvent {}

    record ReplayFinished(ArmRun run, Instant at) implements ExperimentEvent {}

    record ScoreRecorded(ScoreValue score, Instant at) implements ExperimentEvent {}

    /** A rescore: new scorers over the outputs already there (nothing is replayed again). */
    record ScorersAdded(List<Scorer> scorers, Instant at) implements ExperimentEvent {}

    /** Every replay and score is in. */
    record Completed(Instant at) implements ExperimentEvent {}

    /** A rolling experiment: a live job mirrored at submit, its outputs not known yet (its shadow replay can run now). */
    record SourceAdded(SourceJob source, Instant at) implements ExperimentEvent {}

    /** The mirrored live job ended: its outputs (the original arm), or, when it did not succeed, it leaves the experiment. */
    record SourceFinished(String jobId, boolean succeeded, ObjectNode outputs, List<String> artifactIds, Long latencyMillis, Instant at)
            implements ExperimentEvent {}

    /** A rolling experiment's gate failed (or its shadow was stopped): no more sources, replays or scores. */
    record ShadowStopped(Verdict verdict, String reason, Instant at) implements ExperimentEvent {}
}
