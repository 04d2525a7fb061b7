package io.spindle.node.job;

import io.spindle.model.job.JobSpec;
import io.spindle.model.job.TimeOrderedUuids;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Job ids: lowercase UUID strings. A job submitted with an idempotency key gets an id derived from
 * (config id, key), so every retry of that submission reaches the same JobEntity, which then
 * answers with the existing job instead of creating another.
 *
 * <p>Ids are ordered by time where they can be (docs/decisions/0030-time-ordered-job-ids.md): a fresh id is a
 * version-7 UUID, and an id derived from a key that is itself a version-7 UUID (as the keys the gateway and the CLI
 * make for a submit without one are) begins with the key's 48-bit millisecond time. Ids of other keys are all hash.
 */
public final class JobIds {
    private static final Pattern WELL_FORMED = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    // Separates config id and key in the hash input; neither may contain it (both are validated printable ASCII).
    private static final char SEPARATOR = '\n';
    private static final String NAMESPACE = "spindle-job";
    // ':' is not allowed in config ids (ConfigIds), so no config id collides with an alias's scope.
    private static final String ALIAS_SCOPE = "alias:";

    private JobIds() {}

    /** A fresh id: a version-7 UUID, ordered by time. */
    public static String newId() {
        return TimeOrderedUuids.next();
    }

    /**
     * The one id for a client's idempotency key on a config: SHA-256 of both, laid out as a version-8 UUID; when the key
     * is a version-7 UUID (canonical, lowercase), its first 48 bits are the key's time instead of the hash's.
     */
    public static String fromIdempotencyKey(String configId, String idempotencyKey) {
        if (configId == null || idempotencyKey == null) {
            throw new IllegalArgumentException("config id and idempotency key are both required");
        }
        byte[] digest = sha256(NAMESPACE + SEPARATOR + configId + SEPARATOR + idempotencyKey);
        long keyMillis = timeOfKey(idempotencyKey);
        if (keyMillis >= 0) {
            for (int i = 0; i < 6; i++) { // the key's 48-bit time first, big-endian, as in the key
                digest[i] = (byte) (keyMillis >>> (40 - 8 * i));
            }
        }
        digest[6] = (byte) ((digest[6] & 0x0f) | 0x80); // version 8: custom, name-based
        digest[8] = (byte) ((digest[8] & 0x3f) | 0x80); // IETF variant
        ByteBuffer bytes = ByteBuffer.wrap(digest, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong()).toString();
    }

    /**
     * The id a validated spec gets: derived from its idempotency key when it has one, else fresh. A spec submitted to an
     * alias is keyed by the alias (in a scope no config id can name), so a retry reaches the same job even after the
     * alias moved to another config.
     */
    public static String forSpec(JobSpec spec) {
        if (spec.idempotencyKey() == null) {
            return newId();
        }
        return fromIdempotencyKey(spec.alias() != null ? ALIAS_SCOPE + spec.alias() : spec.configId(), spec.idempotencyKey());
    }

    /** True when {@code id} has the shape of a job id (so a typo in a URL does not start an entity). */
    public static boolean isWellFormed(String id) {
        return id != null && WELL_FORMED.matcher(id).matches();
    }

    /** The millisecond time of a key that is a canonical version-7 UUID; -1 for any other key. */
    private static long timeOfKey(String key) {
        if (!isWellFormed(key) || key.charAt(14) != '7') {
            return -1;
        }
        return TimeOrderedUuids.millisOf(UUID.fromString(key));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
