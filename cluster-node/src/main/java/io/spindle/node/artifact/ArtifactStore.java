package io.spindle.node.artifact;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Where artifact bytes live: an S3-compatible bucket in production, S3Proxy on a folder in
 * {@code spindle dev}, memory in unit tests. Keys are relative to the store's own prefix; bytes
 * always stream (nothing reads a whole object or file into memory, except the in-memory store).
 *
 * <p>Failures complete the stage with a {@link io.spindle.model.error.SpindleException}:
 * {@code ARTIFACT_NOT_FOUND} for a missing key, {@code RANGE_NOT_SATISFIABLE} for a range past the
 * end, {@code INVALID_REQUEST} for a bad key, file or media type, {@code UNAVAILABLE} when the
 * backend cannot be reached or refuses (worth retrying).
 */
public interface ArtifactStore {

    /**
     * Streams {@code file} to {@code key} (replacing what is there), computing its size and SHA-256
     * on the way through.
     */
    CompletionStage<StoredObject> put(String key, Path file, String contentType);

    /**
     * The object's metadata and a source of its bytes, all of them or the requested range. The
     * stage fails with {@code ARTIFACT_NOT_FOUND} before any byte is streamed, so a caller can still
     * answer 404; the source fetches the bytes when it runs, once.
     */
    CompletionStage<ObjectContent> get(String key, Optional<ByteRange> range);

    /** The object's metadata, or empty when there is no object at {@code key}. */
    CompletionStage<Optional<ObjectInfo>> head(String key);

    /** Removes the object; removing a missing key succeeds too. */
    CompletionStage<Done> delete(String key);

    /** The keys under {@code keyPrefix} (relative to the store's prefix, like every key here). */
    Source<String, NotUsed> list(String keyPrefix);

    /** The object's address as recorded in artifact metadata, {@code s3://bucket/<prefix>/<key>}. */
    String uri(String key);

    /** The inverse of {@link #uri}: the key of a URI this store made, empty for any other URI. */
    Optional<String> keyOf(String uri);
}
