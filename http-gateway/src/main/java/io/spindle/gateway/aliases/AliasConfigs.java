package io.spindle.gateway.aliases;

import io.spindle.gateway.jobs.JobSubmitter;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Resolves an alias at submit: the entity's current target, read from the registry at exactly that version. */
public final class AliasConfigs implements JobSubmitter.AliasResolver {
    private final AliasEntities aliases;
    private final ConfigRegistry registry;

    public AliasConfigs(AliasEntities aliases, ConfigRegistry registry) {
        this.aliases = aliases;
        this.registry = registry;
    }

    @Override
    public CompletionStage<ModelConfig> resolve(String alias) {
        return aliases.get(alias).thenCompose(a -> registry.configVersions(a.target().configId()).thenApply(versions -> versions.stream()
                .filter(v -> v.version() == a.target().version()).findFirst()
                .orElseThrow(() -> new SpindleException(SpindleError.of(ErrorCode.CONFIG_NOT_FOUND, "alias '" + alias + "' points at "
                        + a.target() + ", which the registry does not have", Map.of("alias", alias, "target", a.target().toString()))))));
    }
}
