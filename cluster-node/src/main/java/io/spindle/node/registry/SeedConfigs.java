package io.spindle.node.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.config.ModelConfigValidator;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.model.json.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the ModelConfigs of {@code spindle.boot.seed-configs} that the registry does not have yet. */
public final class SeedConfigs {
    private static final Logger log = LoggerFactory.getLogger(SeedConfigs.class);

    private SeedConfigs() {}

    /** The seed configs of {@code root}, validated as new configs created {@code now}. */
    public static List<ModelConfig> fromConfig(Config root, Instant now) {
        return root.getConfigList("spindle.boot.seed-configs").stream().map(c -> ModelConfigValidator.validateNew(new ModelConfig(
                c.getString("id"),
                c.getString("name"),
                1,
                c.getStringList("job-types"),
                c.getString("runtime-backend"),
                c.hasPath("model-ref") ? c.getString("model-ref") : null,
                c.hasPath("params") ? params(c.getConfig("params")) : null,
                c.hasPath("preferred-node") ? c.getString("preferred-node") : null,
                true,
                now,
                c.hasPath("version-label") ? c.getString("version-label") : null), now)).toList();
    }

    /** Creates each config unless one with its id exists (which is left as it is). */
    public static CompletionStage<Void> seed(ConfigRegistry registry, List<ModelConfig> configs) {
        CompletableFuture<?>[] creations = configs.stream().map(c -> registry.createConfig(c)
                .handle((created, error) -> {
                    if (error == null) {
                        log.info("Registered config {} ({}) serving {}", c.id(), c.name(), c.jobTypes());
                        return null;
                    }
                    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof SpindleException e && e.error().code() == ErrorCode.ALREADY_EXISTS) {
                        return null;
                    }
                    throw new CompletionException("cannot register seed config " + c.id(), cause);
                })
                .toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(creations);
    }

    private static ObjectNode params(Config params) {
        try {
            return (ObjectNode) Json.mapper().readTree(params.root().render(ConfigRenderOptions.concise()));
        } catch (java.io.IOException e) {
            throw new UncheckedIOException("seed config params are not JSON", e);
        }
    }
}
