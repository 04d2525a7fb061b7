package io.spindle.model.alias;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.spindle.model.gate.Verdict;
import java.time.Instant;

/**
 * Every journaled change of an alias. Together they are its history: who moved it, when, from what to what, on which
 * evidence and why. The JSON type names are stable (they live in the journal for good).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = AliasEvent.Created.class, name = "created"),
    @JsonSubTypes.Type(value = AliasEvent.Promoted.class, name = "promoted"),
    @JsonSubTypes.Type(value = AliasEvent.RolledBack.class, name = "rolled_back"),
    @JsonSubTypes.Type(value = AliasEvent.ShadowStarted.class, name = "shadow_started"),
    @JsonSubTypes.Type(value = AliasEvent.ShadowStopped.class, name = "shadow_stopped"),
})
public sealed interface AliasEvent {
    /** The tag every alias event carries in the journal. */
    String TAG = "alias";

    String name();

    AliasTarget to();

    String actor();

    String reason();

    Instant at();

    record Created(String name, AliasTarget to, String actor, String reason, Instant at) implements AliasEvent {}

    /** Moved to {@code to}; {@code forced} when the gate did not pass (or none was cited) and the actor overrode it. */
    record Promoted(String name, AliasTarget from, AliasTarget to, PromotionEvidence evidence, boolean forced, String actor,
                    String reason, Instant at) implements AliasEvent {}

    /** Back to the target before the current one. */
    record RolledBack(String name, AliasTarget from, AliasTarget to, String actor, String reason, Instant at) implements AliasEvent {}

    /** Live jobs start being mirrored to {@code shadow.candidate}; the target ({@code to}) stays as it is. */
    record ShadowStarted(String name, AliasTarget to, ShadowConfig shadow, String actor, String reason, Instant at) implements AliasEvent {}

    /** Mirroring stopped: by a caller, or by the shadow's experiment on a failing gate ({@code verdict}). */
    record ShadowStopped(String name, AliasTarget to, ShadowConfig shadow, Verdict verdict, String actor, String reason, Instant at)
            implements AliasEvent {}
}
