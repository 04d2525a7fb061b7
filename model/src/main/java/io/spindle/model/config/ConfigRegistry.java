package io.spindle.model.config;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The registry of ModelConfigs, their system of record: every version of every config, the latest one
 * being the config jobs run against. Failures complete the stage with a
 * {@link io.spindle.model.error.SpindleException} carrying a typed error.
 */
public interface ConfigRegistry {

    /** Registers version 1 of a config; fails with ALREADY_EXISTS when the id is taken. */
    CompletionStage<ModelConfig> createConfig(ModelConfig config);

    /** The latest version of a config. */
    CompletionStage<Optional<ModelConfig>> config(String id);

    /** The latest version of every config, by id. */
    CompletionStage<List<ModelConfig>> configs();

    /**
     * Stores a new latest version (its version must be the current one + 1, else INVALID_STATE; CONFIG_NOT_FOUND
     * when there is no such config) and keeps the older ones.
     */
    CompletionStage<ModelConfig> saveConfigVersion(ModelConfig next);

    /** Flips the active flag of the latest version without making a new version; CONFIG_NOT_FOUND when there is none. */
    CompletionStage<ModelConfig> setConfigActive(String id, boolean active);

    /** Every version of a config, oldest first; empty when there is no such config. */
    CompletionStage<List<ModelConfig>> configVersions(String id);
}
