package io.spindle.model.config;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The config registry in this JVM's memory, for tests; same contract as the MongoDB one. */
public final class InMemoryConfigRegistry implements ConfigRegistry {
    private final Map<String, List<ModelConfig>> versions = new LinkedHashMap<>();

    @Override
    public synchronized CompletionStage<ModelConfig> createConfig(ModelConfig config) {
        if (versions.containsKey(config.id())) {
            return failedFuture(new SpindleException(ErrorCode.ALREADY_EXISTS, "config '" + config.id() + "' already exists"));
        }
        versions.put(config.id(), new ArrayList<>(List.of(config)));
        return completedFuture(config);
    }

    @Override
    public synchronized CompletionStage<Optional<ModelConfig>> config(String id) {
        return completedFuture(Optional.ofNullable(versions.get(id)).map(InMemoryConfigRegistry::latest));
    }

    @Override
    public synchronized CompletionStage<List<ModelConfig>> configs() {
        return completedFuture(versions.values().stream().map(InMemoryConfigRegistry::latest)
                .sorted(Comparator.comparing(ModelConfig::id)).toList());
    }

    @Override
    public synchronized CompletionStage<ModelConfig> saveConfigVersion(ModelConfig next) {
        List<ModelConfig> history = versions.get(next.id());
        if (history == null) {
            return failedFuture(notFound(next.id()));
        }
        int current = latest(history).version();
        if (next.version() != current + 1) {
            return failedFuture(new SpindleException(ErrorCode.INVALID_STATE,
                    "config '" + next.id() + "' is at version " + current + ", cannot store version " + next.version()));
        }
        history.add(next);
        return completedFuture(next);
    }

    @Override
    public synchronized CompletionStage<ModelConfig> setConfigActive(String id, boolean active) {
        List<ModelConfig> history = versions.get(id);
        if (history == null) {
            return failedFuture(notFound(id));
        }
        ModelConfig updated = latest(history).withActive(active);
        history.set(history.size() - 1, updated);
        return completedFuture(updated);
    }

    @Override
    public synchronized CompletionStage<List<ModelConfig>> configVersions(String id) {
        return completedFuture(List.copyOf(versions.getOrDefault(id, List.of())));
    }

    private static ModelConfig latest(List<ModelConfig> history) {
        return history.get(history.size() - 1);
    }

    private static SpindleException notFound(String id) {
        return new SpindleException(ErrorCode.CONFIG_NOT_FOUND, "config '" + id + "' does not exist");
    }
}
