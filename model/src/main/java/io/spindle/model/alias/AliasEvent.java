package io.spindle.model.alias;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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
}
