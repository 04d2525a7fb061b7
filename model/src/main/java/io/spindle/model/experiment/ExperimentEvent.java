package io.spindle.model.experiment;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
}
