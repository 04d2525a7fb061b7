package io.spindle.model.alias;

import java.time.Instant;

/** One line of an alias's history, as the API shows it. */
public record AliasChange(String kind, AliasTarget from, AliasTarget to, PromotionEvidence evidence, boolean forced,
                          String actor, String reason, Instant at) {
    /** The arm a shadow's rolling experiment runs the candidate in. */
    public static final String SHADOW_ARM = "shadow";

    public static AliasChange of(AliasEvent event) {
        if (event instanceof AliasEvent.Promoted p) {
            return new AliasChange("promoted", p.from(), p.to(), p.evidence(), p.forced(), p.actor(), p.reason(), p.at());
        }
        if (event instanceof AliasEvent.RolledBack r) {
            return new AliasChange("rolled_back", r.from(), r.to(), null, false, r.actor(), r.reason(), r.at());
        }
        if (event instanceof AliasEvent.ShadowStarted s) {
            return new AliasChange("shadow_started", null, s.to(), new PromotionEvidence(s.shadow().experiment(), s.shadow().gate(), null,
                    SHADOW_ARM), false, s.actor(), (s.reason() == null ? "" : s.reason() + " ") + "(" + s.shadow().percent() + "% to " + s.shadow().candidate() + ")", s.at());
        }
        if (event instanceof AliasEvent.ShadowStopped s) {
            return new AliasChange("shadow_stopped", null, s.to(), new PromotionEvidence(s.shadow().experiment(), s.shadow().gate(),
                    s.verdict(), SHADOW_ARM), false, s.actor(), s.reason(), s.at());
        }
        return new AliasChange("created", null, event.to(), null, false, event.actor(), event.reason(), event.at());
    }
}
