package io.spindle.model.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What a client asks to run. As parsed from JSON, optional fields may be null; {@link JobSpecValidator#validate}
 * checks every field and returns the spec with defaults filled in, the only form the rest of Spindle sees.
 * A client names either a config ({@code config_id}) or an alias ({@code alias}, e.g. {@code "tts-prod"}); the
 * gateway resolves an alias at submit into the config id (and the job pins that config's version), keeping the
 * alias name beside it so the job says how it was routed.
 */
public record JobSpec(
        String type,
        String configId,
        JsonNode input,
        Integer priority,
        Integer maxAttempts,
        Integer timeoutSeconds,
        String idempotencyKey,
        Map<String, String> labels,
        String alias) {

    public static final int DEFAULT_PRIORITY = 5;
    public static final int MIN_PRIORITY = 0;
    public static final int MAX_PRIORITY = 9;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    public JobSpec {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** A spec naming its config directly (no alias). */
    public JobSpec(String type, String configId, JsonNode input, Integer priority, Integer maxAttempts, Integer timeoutSeconds,
                   String idempotencyKey, Map<String, String> labels) {
        this(type, configId, input, priority, maxAttempts, timeoutSeconds, idempotencyKey, labels, null);
    }

    /** A spec with defaults for everything but type, config and input; handy in code and tests. */
    public static JobSpec of(String type, String configId, ObjectNode input) {
        return new JobSpec(type, configId, input, DEFAULT_PRIORITY, DEFAULT_MAX_ATTEMPTS, DEFAULT_TIMEOUT_SECONDS, null, Map.of());
    }

    public JobType jobType() {
        return JobType.parse(type);
    }

    public ObjectNode inputObject() {
        return (ObjectNode) input;
    }

    public JobSpec withPriority(int value) {
        return new JobSpec(type, configId, input, value, maxAttempts, timeoutSeconds, idempotencyKey, labels, alias);
    }

    public JobSpec withMaxAttempts(int value) {
        return new JobSpec(type, configId, input, priority, value, timeoutSeconds, idempotencyKey, labels, alias);
    }

    public JobSpec withTimeoutSeconds(int value) {
        return new JobSpec(type, configId, input, priority, maxAttempts, value, idempotencyKey, labels, alias);
    }

    public JobSpec withIdempotencyKey(String value) {
        return new JobSpec(type, configId, input, priority, maxAttempts, timeoutSeconds, value, labels, alias);
    }

    public JobSpec withConfigId(String value) {
        return new JobSpec(type, value, input, priority, maxAttempts, timeoutSeconds, idempotencyKey, labels, alias);
    }

    public JobSpec withLabels(Map<String, String> value) {
        return new JobSpec(type, configId, input, priority, maxAttempts, timeoutSeconds, idempotencyKey, value, alias);
    }

    public JobSpec withAlias(String value) {
        return new JobSpec(type, configId, input, priority, maxAttempts, timeoutSeconds, idempotencyKey, labels, value);
    }
}
