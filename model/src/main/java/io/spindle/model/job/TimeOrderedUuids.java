package io.spindle.model.job;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochRandomGenerator;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Version-7 UUIDs (RFC 9562): the first 48 bits are the creation time in Unix milliseconds, the rest random (from a
 * {@link SecureRandom}), made with java-uuid-generator. Fresh job ids and the idempotency keys Spindle makes for a submit that brings none are of
 * this kind, so ids made one after the other sort one after the other: the stores' indexes keyed by job id then
 * grow at their end instead of at random places (docs/decisions/0030-time-ordered-job-ids.md).
 */
public final class TimeOrderedUuids {
    /** Random bits fresh for each one, also within a millisecond (no counter): the next one cannot be guessed. */
    private static final TimeBasedEpochRandomGenerator GENERATOR = Generators.timeBasedEpochRandomGenerator(new SecureRandom());
    private static final int VERSION = 7;

    private TimeOrderedUuids() {}

    /** A fresh one, in its canonical lowercase form. */
    public static String next() {
        return GENERATOR.generate().toString();
    }

    /** The creation time in Unix milliseconds of a version-7 UUID. */
    public static long millisOf(UUID uuid) {
        if (uuid.version() != VERSION) {
            throw new IllegalArgumentException("not a version-7 UUID: " + uuid);
        }
        return uuid.getMostSignificantBits() >>> 16;
    }
}
