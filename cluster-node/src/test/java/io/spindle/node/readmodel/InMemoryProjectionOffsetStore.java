package io.spindle.node.readmodel;

import static java.util.concurrent.CompletableFuture.completedFuture;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** Projection offsets in this JVM's memory, for tests; same contract as the MongoDB store. */
public final class InMemoryProjectionOffsetStore implements ProjectionOffsetStore {
    private final Map<String, Long> offsets = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Optional<Long>> offset(String projection) {
        return completedFuture(Optional.ofNullable(offsets.get(projection)));
    }

    @Override
    public CompletionStage<Void> saveOffset(String projection, long offset) {
        offsets.put(projection, offset);
        return completedFuture(null);
    }
}
