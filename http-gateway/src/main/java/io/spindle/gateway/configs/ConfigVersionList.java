package io.spindle.gateway.configs;

import io.spindle.model.config.ModelConfig;
import java.util.List;

/** Body of {@code GET /configs/{id}/versions}: every version, oldest first. */
public record ConfigVersionList(String configId, List<ModelConfig> versions) {}
