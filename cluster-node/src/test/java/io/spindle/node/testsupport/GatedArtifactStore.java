package io.spindle.node.testsupport;

import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.artifact.ObjectContent;
import io.spindle.node.artifact.ObjectInfo;
import io.spindle.node.artifact.StoredObject;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.stream.javadsl.Source;

/**
 * An artifact store whose uploads can be held back: while the gate is closed every {@code put} waits, then goes to
 * the real store behind it. Lets a test keep an attempt's report in flight for as long as it likes.
 */
public final class GatedArtifactStore implements ArtifactStore {
    private final ArtifactStore store;
    private CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);

    public GatedArtifactStore(ArtifactStore store) {
        this.store = store;
    }

    /** Holds back every upload from now on, until {@link #open}. */
    public synchronized void close() {
        if (gate.isDone()) {
            gate = new CompletableFuture<>();
        }
    }

    /** Lets held-back and later uploads through. */
    public synchronized void open() {
        gate.complete(null);
    }

    @Override
    public CompletionStage<StoredObject> put(String key, Path file, String contentType) {
        CompletableFuture<Void> current;
        synchronized (this) {
            current = gate;
        }
        return current.thenCompose(open -> store.put(key, file, contentType));
    }

    @Override
    public CompletionStage<ObjectContent> get(String key, Optional<ByteRange> range) {
        return store.get(key, range);
    }

    @Override
    public CompletionStage<Optional<ObjectInfo>> head(String key) {
        return store.head(key);
    }

    @Override
    public CompletionStage<Done> delete(String key) {
        return store.delete(key);
    }

    @Override
    public Source<String, NotUsed> list(String keyPrefix) {
        return store.list(keyPrefix);
    }

    @Override
    public String uri(String key) {
        return store.uri(key);
    }

    @Override
    public Optional<String> keyOf(String uri) {
        return store.keyOf(uri);
    }
}
