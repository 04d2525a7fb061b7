package io.spindle.gateway.aliases;

import io.spindle.gateway.jobs.JobSubmitter;
import io.spindle.model.alias.AliasTarget;
import io.spindle.model.alias.ShadowConfig;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.job.Job;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Resolves an alias at submit: the entity's current target, read from the registry at exactly that version. Whether
 * the config accepts jobs is its latest version's flag (deactivating flips only that one), so an alias pinned to an
 * older version of a deactivated config is refused too. A job created on an alias with a shadow is mirrored to it.
 */
public final class AliasConfigs implements JobSubmitter.AliasResolver {
    private final AliasEntities aliases;
    private final ConfigRegistry registry;
    private final BiConsumer<ShadowConfig, Job> mirror;
    /** Each alias's shadow as its last resolve found it: a job created on it right after is mirrored on that. */
    private final Map<String, ShadowConfig> shadows = new ConcurrentHashMap<>();

    /** @param mirror hands a created live job to the shadow's experiment (when the shadow's percentage picks it) */
    public AliasConfigs(AliasEntities aliases, ConfigRegistry registry, BiConsumer<ShadowConfig, Job> mirror) {
        this.aliases = aliases;
        this.registry = registry;
        this.mirror = mirror;
    }

    @Override
    public CompletionStage<ModelConfig> resolve(String alias) {
        return aliases.get(alias).thenCompose(a -> {
            if (a.shadow() == null) {
                shadows.remove(alias);
            } else {
                shadows.put(alias, a.shadow());
            }
            return registry.configVersions(a.target().configId()).thenApply(versions -> pinned(alias, a.target(), versions));
        });
    }

    @Override
    public void created(String alias, Job job) {
        ShadowConfig shadow = shadows.get(alias);
        if (shadow != null && shadow.mirrors(job.id())) {
            mirror.accept(shadow, job);
        }
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
