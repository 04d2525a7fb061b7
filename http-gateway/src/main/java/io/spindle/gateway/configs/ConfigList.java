package io.spindle.gateway.configs;

import io.spindle.model.config.ModelConfig;
import java.util.List;

/** Body of {@code GET /configs}: the latest version of every config, by id. */
public record ConfigList(List<ModelConfig> configs) {}
