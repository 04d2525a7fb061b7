package io.spindle.model.job;

import io.spindle.model.validation.ConfigIds;
import io.spindle.model.validation.ValidationException;
import io.spindle.model.validation.Violations;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks every field of a {@link JobSpec}, naming each wrong field, and fills in defaults. */
public final class JobSpecValidator {
    public static final int MAX_ATTEMPTS_LIMIT = 100;
    public static final int MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 200;
    public static final int MAX_LABELS = 32;
    public static final int MAX_LABEL_VALUE_LENGTH = 256;
    private static final Pattern LABEL_KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9_.\\-/]{0,62}");

    private JobSpecValidator() {}

    /** @return the spec with defaults filled in; @throws ValidationException listing every invalid field */
    public static JobSpec validate(JobSpec spec) {
        Violations v = new Violations();
        if (spec == null) {
            throw new ValidationException("body", "is required: a JSON object with type, config_id and input");
        }
        String typeProblem = JobType.problem(spec.type());
        if (typeProblem != null) {
            v.add("type", typeProblem);
        }
        if (spec.alias() != null) {
            String aliasProblem = ConfigIds.problem(spec.alias());
            if (aliasProblem != null) {
                v.add("alias", aliasProblem);
            }
        }
        // An alias alone is enough until the gateway resolves it; after that both are set.
        String configProblem = spec.alias() != null && spec.configId() == null ? null : ConfigIds.problem(spec.configId());
        if (configProblem != null) {
            v.add("config_id", configProblem);
        }
        if (spec.input() == null || spec.input().isNull() || spec.input().isMissingNode()) {
            v.add("input", "is required: a JSON object (use {} for none)");
        } else if (!spec.input().isObject()) {
            v.add("input", "must be a JSON object, not " + spec.input().getNodeType().name().toLowerCase());
        }
        int priority = orDefault(spec.priority(), JobSpec.DEFAULT_PRIORITY);
        if (priority < JobSpec.MIN_PRIORITY || priority > JobSpec.MAX_PRIORITY) {
            v.add("priority", "must be between " + JobSpec.MIN_PRIORITY + " and " + JobSpec.MAX_PRIORITY + " (higher runs first), was " + priority);
        }
        int maxAttempts = orDefault(spec.maxAttempts(), JobSpec.DEFAULT_MAX_ATTEMPTS);
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            v.add("max_attempts", "must be between 1 and " + MAX_ATTEMPTS_LIMIT + ", was " + maxAttempts);
        }
        int timeout = orDefault(spec.timeoutSeconds(), JobSpec.DEFAULT_TIMEOUT_SECONDS);
        if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
            v.add("timeout_seconds", "must be between 1 and " + MAX_TIMEOUT_SECONDS + ", was " + timeout);
        }
        String key = spec.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            v.add("idempotency_key", "must be 1 to " + MAX_IDEMPOTENCY_KEY_LENGTH + " printable ASCII characters without spaces");
        }
        validateLabels(spec.labels(), v);
        v.throwIfAny();
        return new JobSpec(spec.type(), spec.configId(), spec.input(), priority, maxAttempts, timeout, key, spec.labels(), spec.alias());
    }

    private static void validateLabels(Map<String, String> labels, Violations v) {
        if (labels.size() > MAX_LABELS) {
            v.add("labels", "at most " + MAX_LABELS + " labels, got " + labels.size());
        }
        labels.forEach((k, value) -> {
            if (!isLabelKey(k)) {
                v.add("labels." + k, "label key must start with a letter and use letters, digits, '_', '.', '-', '/' (at most 63 characters)");
            } else if (value == null || value.length() > MAX_LABEL_VALUE_LENGTH) {
                v.add("labels." + k, "label value must be a string of at most " + MAX_LABEL_VALUE_LENGTH + " characters");
            }
        });
    }

    /** Whether {@code key} may name a label. */
    public static boolean isLabelKey(String key) {
        return key != null && LABEL_KEY.matcher(key).matches();
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
