package io.spindle.model.gate;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Collection;
import java.util.Locale;

/** A gate's answer. Not enough evidence is {@code INCONCLUSIVE}, never a pass. */
public enum Verdict {
    PASS, FAIL, INCONCLUSIVE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** All criteria together: any fail fails, else any inconclusive is inconclusive, else pass. */
    public static Verdict combine(Collection<Verdict> verdicts) {
        if (verdicts.contains(FAIL)) {
            return FAIL;
        }
        return verdicts.contains(INCONCLUSIVE) || verdicts.isEmpty() ? INCONCLUSIVE : PASS;
    }
}
