package io.spindle.model.alias;

import java.time.Instant;

/** One line of an alias's history, as the API shows it. */
public record AliasChange(String kind, AliasTarget from, AliasTarget to, PromotionEvidence evidence, boolean forced,
                          String actor, String reason, Instant at) {

    public static AliasChange of(AliasEvent event) {
        if (event instanceof AliasEvent.Promoted p) {
            return new AliasChange("promoted", p.from(), p.to(), p.evidence(), p.forced(), p.actor(), p.reason(), p.at());
        }
        if (event instanceof AliasEvent.RolledBack r) {
            return new AliasChange("rolled_back", r.from(), r.to(), null, false, r.actor(), r.reason(), r.at());
        }
        return new AliasChange("created", null, event.to(), null, false, event.actor(), event.reason(), event.at());
    }
}
