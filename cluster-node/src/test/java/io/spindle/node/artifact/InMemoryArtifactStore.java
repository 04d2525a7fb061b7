package io.spindle.node.artifact;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.node.concurrent.PekkoStages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * The {@link ArtifactStore} in this JVM's memory, for tests: same contract as the S3 one
 * (keys, URIs, digests, ranges, typed failures), but it holds every object's bytes on the heap.
 */
public final class InMemoryArtifactStore implements ArtifactStore {
    /** The bucket name in the URIs of a store made with {@link #InMemoryArtifactStore(ClassicActorSystemProvider)}. */
    public static final String DEFAULT_BUCKET = "memory";

    private record Entry(ByteString bytes, String contentType, String etag) {}

    private final Materializer materializer;
    private final BucketLocation location;
    private final ConcurrentSkipListMap<String, Entry> objects = new ConcurrentSkipListMap<>();

    public InMemoryArtifactStore(ClassicActorSystemProvider system, String bucket, String prefix) {
        this.materializer = Materializer.matFromSystem(system);
        this.location = new BucketLocation(bucket, prefix == null ? "" : prefix);
    }

    public InMemoryArtifactStore(ClassicActorSystemProvider system) {
        this(system, DEFAULT_BUCKET, "");
    }

    @Override
    public CompletionStage<StoredObject> put(String key, Path file, String contentType) {
        final String type;
        final long size;
        try {
            location.objectKey(key);
            type = S3ArtifactStore.contentType(contentType).toString();
            if (!Files.isRegularFile(file)) {
                throw new IOException("not a regular file");
            }
            size = Files.size(file);
        } catch (SpindleException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(
                    new SpindleException(ErrorCode.INVALID_REQUEST, "cannot read '" + file + "': " + e.getMessage()));
        }
        CompletableFuture<ContentDigest> digest = new CompletableFuture<>();
        return PekkoStages.direct(FileIO.fromPath(file)
                .via(ContentDigest.flow(size, digest))
                .runWith(Sink.fold(ByteString.emptyByteString(), ByteString::concat), materializer))
                .handle((bytes, failure) -> {
                    if (failure != null) {
                        throw StoreFailures.typed(failure, "put", key);
                    }
                    ContentDigest d = digest.join();
                    if (d.size() != size || bytes.size() != size) {
                        throw new SpindleException(ErrorCode.INVALID_REQUEST,
                                "'" + file + "' changed while it was stored (" + size + " bytes when it started)");
                    }
                    // An MD5-like opaque tag, quoted as S3 quotes its ETags.
                    String etag = "\"" + d.sha256().substring(0, 32) + "\"";
                    objects.put(key, new Entry(bytes, type, etag));
                    return new StoredObject(key, d.size(), d.sha256(), etag);
                });
    }

    @Override
    public CompletionStage<ObjectContent> get(String key, Optional<ByteRange> range) {
        return head(key).thenApply(found -> {
            ObjectInfo info = found.orElseThrow(() -> StoreFailures.notFound(key));
            ByteString bytes = objects.get(key).bytes();
            if (range.isEmpty()) {
                return new ObjectContent(info, Optional.empty(), Source.single(bytes));
            }
            ResolvedRange r = ResolvedRange.resolve(range.get(), info.size())
                    .orElseThrow(() -> StoreFailures.rangeNotSatisfiable(key, info.size()));
            ByteString slice = bytes.slice((int) r.first(), (int) r.last() + 1);
            return new ObjectContent(info, Optional.of(r), Source.single(slice));
        });
    }

    @Override
    public CompletionStage<Optional<ObjectInfo>> head(String key) {
        try {
            location.objectKey(key);
        } catch (SpindleException e) {
            return CompletableFuture.failedFuture(e);
        }
        Entry e = objects.get(key);
        return CompletableFuture.completedFuture(
                Optional.ofNullable(e).map(found -> new ObjectInfo(key, found.bytes().size(), found.contentType(), found.etag())));
    }

    @Override
    public CompletionStage<Done> delete(String key) {
        try {
            location.objectKey(key);
        } catch (SpindleException e) {
            return CompletableFuture.failedFuture(e);
        }
        objects.remove(key);
        return CompletableFuture.completedFuture(Done.getInstance());
    }

    @Override
    public Source<String, NotUsed> list(String keyPrefix) {
        String p = keyPrefix == null ? "" : keyPrefix;
        return Source.from(objects.keySet().stream().filter(k -> k.startsWith(p)).toList());
    }

    @Override
    public String uri(String key) {
        return location.uri(key);
    }

    @Override
    public Optional<String> keyOf(String uri) {
        return location.keyOf(uri);
    }
}
