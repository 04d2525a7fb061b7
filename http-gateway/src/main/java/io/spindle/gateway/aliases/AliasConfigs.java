package io.spindle.gateway.aliases;

import io.spindle.gateway.jobs.JobSubmitter;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Resolves an alias at submit: the entity's current target, read from the registry at exactly that version. Whether
 * the config accepts jobs is its latest version's flag (deactivating flips only that one), so an alias pinned to an
 * older version of a deactivated config is refused too.
 */
public final class AliasConfigs implements JobSubmitter.AliasResolver {
    private final AliasEntities aliases;
    private final ConfigRegistry registry;

    public AliasConfigs(AliasEntities aliases, ConfigRegistry registry) {
        this.aliases = aliases;
        this.registry = registry;
    }

    @Override
    public CompletionStage<ModelConfig> resolve(String alias) {
        return aliases.get(alias).thenCompose(a -> registry.configVersions(a.target().configId())
                .thenApply(versions -> pinned(alias, a.target(), versions)));
    }

    private static ModelConfig pinned(String alias, AliasTarget target, List<ModelConfig> versions) {
        ModelConfig pinned = versions.stream().filter(v -> v.version() == target.version()).findFirst()
                .orElseThrow(() -> new SpindleException(SpindleError.of(ErrorCode.CONFIG_NOT_FOUND, "alias '" + alias + "' points at "
                        + target + ", which the registry does not have", Map.of("alias", alias, "target", target.toString()))));
        ModelConfig latest = versions.get(versions.size() - 1);
        if (!pinned.isActive() || !latest.isActive()) {
            throw new SpindleException(SpindleError.of(ErrorCode.CONFIG_INACTIVE, "alias '" + alias + "' points at " + target + " of config '"
                    + target.configId() + "', which is inactive and accepts no jobs (PATCH /configs/" + target.configId()
                    + " with is_active true, or promote the alias elsewhere)", Map.of("alias", alias, "config_id", target.configId())));
        }
        return pinned;
    }
}
