package io.spindle.gateway.configs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.config.ModelConfigValidator;
import java.time.Instant;
import java.util.List;

/** Body of {@code POST /configs}: a config's definition; it becomes version 1. */
public record ConfigCreate(
        String id,
        String name,
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
        ModelConfig valid = ModelConfigValidator.validateNew(
                new ModelConfig(id, name, 1, jobTypes, runtimeBackend, modelRef, params, preferredNode, true, now), now);
        return isActive == null || isActive ? valid : valid.withActive(false);
    }
}
