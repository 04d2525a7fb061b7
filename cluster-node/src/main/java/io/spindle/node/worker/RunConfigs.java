package io.spindle.node.worker;

import io.spindle.bridge.protocol.BridgeMessage;
import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import io.spindle.model.job.Job;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The config part of a run frame (id, version, runtime params, backend, model ref), looked up in the {@link ConfigRegistry}.
 * A config version never changes once saved, so each (id, version) is read once per node and then served
 * from memory; a job without a version gets the latest one, read each time. Without a registry, or when
 * the config is not registered (or the lookup fails), the run carries the job's config id and version
 * with empty params. Thread-safe.
 */
public final class RunConfigs {
    /** Distinct config versions kept in memory; a node hosts a handful of configs, each with few live versions. */
    private static final int MAX_CACHED = 256;
    private static final Logger log = LoggerFactory.getLogger(RunConfigs.class);

    private final ConfigRegistry registry;
    private final Map<String, BridgeMessage.RunConfig> byVersion = new ConcurrentHashMap<>();

    /** @param registry the config registry, or null when the node has none (params are then always empty) */
    public RunConfigs(ConfigRegistry registry) {
        this.registry = registry;
    }

    /** Completes (never exceptionally) with the config the job's attempt runs against. */
    public CompletionStage<BridgeMessage.RunConfig> forJob(Job job) {
        String id = job.configId();
        Integer version = job.configVersion();
        if (registry == null) {
            return CompletableFuture.completedFuture(fallback(job));
        }
        String key = id + "@" + version;
        if (version != null) {
            BridgeMessage.RunConfig cached = byVersion.get(key);
            if (cached != null) {
                return CompletableFuture.completedFuture(cached);
            }
        }
        return lookup(id, version).handle((found, error) -> {
            if (error != null) {
                log.warn("config {} version {}: lookup failed, job {} runs with empty params: {}", id, version, job.id(), error.toString());
                return fallback(job);
            }
            if (found.isEmpty()) {
                // Not cached: the registry may catch up (e.g. the config was registered a moment ago).
                log.debug("config {} version {} is not registered, job {} runs with empty params", id, version, job.id());
                return fallback(job);
            }
            ModelConfig c = found.get();
            BridgeMessage.RunConfig config = new BridgeMessage.RunConfig(c.id(), c.version(), c.params(), c.runtimeBackend(), c.modelRef());
            if (version != null) {
                if (byVersion.size() >= MAX_CACHED) {
                    byVersion.clear(); // crude but bounded: a re-read costs one lookup per version
                }
                byVersion.put(key, config);
            }
            return config;
        });
    }

    private CompletableFuture<Optional<ModelConfig>> lookup(String id, Integer version) {
        try {
            CompletionStage<Optional<ModelConfig>> found = version == null
                    ? registry.config(id)
                    : registry.configVersions(id).thenApply(all -> all.stream().filter(c -> c.version() == version).findFirst());
            return found.toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static BridgeMessage.RunConfig fallback(Job job) {
        return new BridgeMessage.RunConfig(job.configId(), job.configVersion() == null ? 0 : job.configVersion(), null);
    }
}
