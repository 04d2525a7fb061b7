package io.spindle.model.config;

import io.spindle.model.job.JobType;
import io.spindle.model.json.Json;
import io.spindle.model.validation.ConfigIds;
import io.spindle.model.validation.Violations;
import java.time.Instant;
import java.util.List;

/** Checks every field of a {@link ModelConfig} submitted by a client, naming each wrong field. */
public final class ModelConfigValidator {
    private static final int MAX_TEXT = 256;
    /** A version label is a short name such as {@code v1} or {@code 2024-06-rc2}. */
    private static final int MAX_VERSION_LABEL = 64;

    private ModelConfigValidator() {}

    /**
     * @return the config as version 1, created now, with defaults filled in (empty params, active)
     * @throws io.spindle.model.validation.ValidationException listing every invalid field
     */
    public static ModelConfig validateNew(ModelConfig c, Instant now) {
        Violations v = new Violations();
        String idProblem = ConfigIds.problem(c.id());
        if (idProblem != null) {
            v.add("id", idProblem);
        }
        requireText(v, "name", c.name());
        requireText(v, "runtime_backend", c.runtimeBackend());
        if (c.modelRef() != null && (c.modelRef().isBlank() || c.modelRef().length() > MAX_TEXT)) {
            v.add("model_ref", "must be 1 to " + MAX_TEXT + " characters when given");
        }
        if (c.preferredNode() != null && c.preferredNode().isBlank()) {
            v.add("preferred_node", "must not be blank when given");
        }
        String label = c.versionLabel();
        if (label != null && (label.isBlank() || label.length() > MAX_VERSION_LABEL || label.chars().anyMatch(Character::isISOControl))) {
            v.add("version_label", "must be 1 to " + MAX_VERSION_LABEL + " printable characters when given");
        }
        validateJobTypes(c.jobTypes(), v);
        v.throwIfAny();
        return new ModelConfig(c.id(), c.name(), 1, c.jobTypes(), c.runtimeBackend(), c.modelRef(),
                c.params() == null ? Json.object() : c.params(), c.preferredNode(), true, now, label);
    }

    private static void validateJobTypes(List<String> types, Violations v) {
        if (types.isEmpty()) {
            v.add("job_types", "must list at least one job type (namespace.name or namespace.*)");
        }
        for (int i = 0; i < types.size(); i++) {
            String t = types.get(i);
            String problem = t != null && t.endsWith(".*") ? JobType.problem(t.substring(0, t.length() - 2) + ".any") : JobType.problem(t);
            if (problem != null) {
                v.add("job_types[" + i + "]", problem);
            }
        }
    }

    private static void requireText(Violations v, String field, String value) {
        if (value == null || value.isBlank()) {
            v.add(field, "is required");
        } else if (value.length() > MAX_TEXT) {
            v.add(field, "must be at most " + MAX_TEXT + " characters");
        }
    }
}
