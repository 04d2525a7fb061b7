package io.spindle.node.job;

import io.spindle.model.job.JobSpec;
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
 */
public final class JobIds {
    private static final Pattern WELL_FORMED = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    // Separates config id and key in the hash input; neither may contain it (both are validated printable ASCII).
    private static final char SEPARATOR = '\n';
    private static final String NAMESPACE = "spindle-job";
    // ':' is not allowed in config ids (ConfigIds), so no config id collides with an alias's scope.
    private static final String ALIAS_SCOPE = "alias:";

    private JobIds() {}

    /** A fresh random id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** The one id for a client's idempotency key on a config (SHA-256 of both, laid out as a version-8 UUID). */
    public static String fromIdempotencyKey(String configId, String idempotencyKey) {
        if (configId == null || idempotencyKey == null) {
            throw new IllegalArgumentException("config id and idempotency key are both required");
        }
        byte[] digest = sha256(NAMESPACE + SEPARATOR + configId + SEPARATOR + idempotencyKey);
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

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
