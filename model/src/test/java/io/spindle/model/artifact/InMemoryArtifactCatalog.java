package io.spindle.model.artifact;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The artifact catalog in this JVM's memory, for tests; same contract as the MongoDB one. */
public final class InMemoryArtifactCatalog implements ArtifactCatalog {
    private final Map<String, Artifact> artifacts = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Void> putArtifacts(Collection<Artifact> values) {
        values.forEach(a -> artifacts.put(a.id(), a));
        return completedFuture(null);
    }

    @Override
    public CompletionStage<Optional<Artifact>> artifact(String id) {
        return completedFuture(Optional.ofNullable(artifacts.get(id)));
    }

    @Override
    public CompletionStage<List<Artifact>> artifactsOfJob(String jobId) {
        return completedFuture(artifacts.values().stream().filter(a -> a.jobId().equals(jobId))
                .sorted(Comparator.comparing(Artifact::createdAt).thenComparing(Artifact::id)).toList());
    }

    @Override
    public CompletionStage<List<Artifact>> childrenOf(String parentId, int limit) {
        return completedFuture(artifacts.values().stream().filter(a -> a.parentIds().contains(parentId))
                .sorted(Comparator.comparing(Artifact::createdAt).thenComparing(Artifact::id)).limit(limit).toList());
    }
}
