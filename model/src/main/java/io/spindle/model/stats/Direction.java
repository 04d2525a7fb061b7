package io.spindle.model.stats;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Which way a metric improves: a WER is lower-is-better, a similarity higher-is-better. */
public enum Direction {
    HIGHER_IS_BETTER, LOWER_IS_BETTER;

    /** +1 when a positive delta is an improvement, −1 when it is a regression. */
    public int sign() {
        return this == HIGHER_IS_BETTER ? 1 : -1;
    }

    @JsonValue
    public String wireName() {
        return this == HIGHER_IS_BETTER ? "higher" : "lower";
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static Direction parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "higher", "higher_is_better" -> HIGHER_IS_BETTER;
            case "lower", "lower_is_better" -> LOWER_IS_BETTER;
            default -> throw new IllegalArgumentException("direction must be higher or lower, not '" + value + "'");
        };
    }
}
