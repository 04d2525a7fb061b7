package io.spindle.gateway.configs;

import io.spindle.model.config.ConfigRegistry;
import io.spindle.model.config.ModelConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Configs as job submissions see them: read from the registry, then reused for a short time so a
 * burst of submits costs one read per config rather than one per job. Only configs that exist are
 * kept (unknown ids cannot fill it), failed reads are not kept, and every change made through this
 * gateway invalidates its entry at once.
 */
public final class ConfigCache {
    private record Entry(CompletionStage<Optional<ModelConfig>> config, long expiresAtNanos) {}

    private final ConfigRegistry registry;
    private final long ttlNanos;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    /** @param ttl how long a read is reused; zero reads every time */
    public ConfigCache(ConfigRegistry registry, Duration ttl) {
        this.registry = registry;
        this.ttlNanos = ttl.toNanos();
    }

    /** The latest version of the config, or empty when there is no such config. */
    public CompletionStage<Optional<ModelConfig>> get(String id) {
        if (ttlNanos <= 0) {
            return registry.config(id);
        }
        long now = System.nanoTime();
        Entry cached = entries.get(id);
        if (cached != null && cached.expiresAtNanos() - now > 0) {
            return cached.config();
        }
        CompletionStage<Optional<ModelConfig>> fresh = registry.config(id);
        Entry entry = new Entry(fresh, now + ttlNanos);
        entries.put(id, entry);
        fresh.whenComplete((config, failure) -> {
            if (failure != null || config.isEmpty()) {
                entries.remove(id, entry);
            }
        });
        return fresh;
    }

    public void invalidate(String id) {
        entries.remove(id);
    }
}
