package io.spindle.gateway.configs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.config.ModelConfigValidator;
import io.spindle.model.validation.ValidationException;
import java.time.Instant;
import java.util.List;

/**
 * Body of {@code POST /configs}: a config's definition; it becomes version 1. The user's version label may come as
 * {@code version_label} or, as many configs are written, as {@code version} (a string such as {@code "v1"}); the
 * config's integer {@code version} in every answer stays Spindle's own revision.
 */
public record ConfigCreate(
        String id,
        String name,
        String version,
        String versionLabel,
        List<String> jobTypes,
        String runtimeBackend,
        String modelRef,
        ObjectNode params,
        String preferredNode,
        Boolean isActive) {

    /**
     * @return version 1 of the config, created {@code now}
     * @throws io.spindle.model.validation.ValidationException naming every invalid field
     */
    public ModelConfig toConfig(Instant now) {
        if (version != null && versionLabel != null && !version.equals(versionLabel)) {
            throw new ValidationException("version", "is the version label; it differs from version_label '" + versionLabel + "'");
        }
        String label = versionLabel != null ? versionLabel : version;
        ModelConfig valid = ModelConfigValidator.validateNew(
                new ModelConfig(id, name, 1, jobTypes, runtimeBackend, modelRef, params, preferredNode, true, now, label), now);
        return isActive == null || isActive ? valid : valid.withActive(false);
    }
}
