package io.spindle.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.job.JobType;
import java.time.Instant;
import java.util.List;

/**
 * A model + runtime + settings that jobs run against. Versioned: changing its definition makes a new
 * version and keeps the old ones, so every job and artifact can name exactly what produced it.
 */
public record ModelConfig(
        String id,
        String name,
        int version,
        List<String> jobTypes,
        String runtimeBackend,
        String modelRef,
        ObjectNode params,
        String preferredNode,
        boolean isActive,
        Instant createdAt) {

    public ModelConfig {
        jobTypes = jobTypes == null ? List.of() : List.copyOf(jobTypes);
    }

    /** True when one of this config's job types (or {@code ns.*} patterns) covers {@code type}. */
    public boolean serves(JobType type) {
        return jobTypes.stream().anyMatch(type::matches);
    }

    public ModelConfig withActive(boolean active) {
        return new ModelConfig(id, name, version, jobTypes, runtimeBackend, modelRef, params, preferredNode, active, createdAt);
    }

    /** The next version of this config carrying {@code changed}'s definition. */
    public ModelConfig nextVersion(ModelConfig changed, Instant at) {
        return new ModelConfig(id, changed.name, version + 1, changed.jobTypes, changed.runtimeBackend, changed.modelRef,
                changed.params, changed.preferredNode, isActive, at);
    }
}
