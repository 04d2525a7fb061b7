package io.spindle.model.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.model.job.JobType;
import java.time.Instant;
import java.util.List;

/**
 * A model + runtime + settings that jobs run against. Versioned: changing its definition makes a new
 * version and keeps the old ones, so every job and artifact can name exactly what produced it.
 * {@code version} is Spindle's own revision (1, 2, 3…); {@code versionLabel} is the user's name for the
 * definition (e.g. {@code "v1"}), optional, kept beside it and never used for ordering.
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
        Instant createdAt,
        String versionLabel) {

    public ModelConfig {
        jobTypes = jobTypes == null ? List.of() : List.copyOf(jobTypes);
    }

    /** A config without a version label. */
    public ModelConfig(String id, String name, int version, List<String> jobTypes, String runtimeBackend, String modelRef,
            ObjectNode params, String preferredNode, boolean isActive, Instant createdAt) {
        this(id, name, version, jobTypes, runtimeBackend, modelRef, params, preferredNode, isActive, createdAt, null);
    }

    /** True when one of this config's job types (or {@code ns.*} patterns) covers {@code type}. */
    public boolean serves(JobType type) {
        return jobTypes.stream().anyMatch(type::matches);
    }

    public ModelConfig withVersionLabel(String label) {
        return new ModelConfig(id, name, version, jobTypes, runtimeBackend, modelRef, params, preferredNode, isActive, createdAt, label);
    }

    public ModelConfig withActive(boolean active) {
        return new ModelConfig(id, name, version, jobTypes, runtimeBackend, modelRef, params, preferredNode, active, createdAt, versionLabel);
    }

    /** The next version of this config carrying {@code changed}'s definition. */
    public ModelConfig nextVersion(ModelConfig changed, Instant at) {
        return new ModelConfig(id, changed.name, version + 1, changed.jobTypes, changed.runtimeBackend, changed.modelRef,
                changed.params, changed.preferredNode, isActive, at, changed.versionLabel);
    }
}
