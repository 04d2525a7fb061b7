package io.spindle.model.alias;

/**
 * An alias's shadow: {@code percent} of the live jobs submitted to it are mirrored to {@code candidate} as shadow jobs
 * of the rolling experiment {@code experiment}, judged by the gate {@code gate}; a failing verdict stops it.
 */
public record ShadowConfig(AliasTarget candidate, int percent, String experiment, String gate) {
    public static final int MAX_PERCENT = 100;

    /** Whether the live job {@code jobId} is mirrored: the same answer for the same id, so a retried submit mirrors once. */
    public boolean mirrors(String jobId) {
        return Math.floorMod(jobId.hashCode(), MAX_PERCENT) < percent;
    }
}
