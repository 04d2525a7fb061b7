package io.spindle.node.artifact;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.BlobMetadata;
import org.jclouds.blobstore.domain.PageSet;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.domain.StorageType;
import org.jclouds.blobstore.options.GetOptions;
import org.jclouds.blobstore.options.ListContainerOptions;

/**
 * The {@link ArtifactStore} on a bucket of a jclouds {@link BlobStore} in this process: the embedded S3 server's own
 * storage, reached without HTTP when the node's endpoint is that server ({@link ArtifactStores}). The objects are the
 * ones the server serves (same bucket, keys, content types and ETags), so S3 clients elsewhere see what is written
 * here and the reverse. Blob store calls block on the file system, so they run on {@code io}; a small object is
 * written in one call from memory, a larger one streams from its file, hashed on the way through.
 */
public final class BlobStoreArtifactStore implements MeteredArtifactStore {
    /** Objects listed per call while listing a prefix. */
    static final int LIST_PAGE = 1000;

    private final BlobStore blobs;
    private final BucketLocation location;
    private final Executor io;
    private final LongAdder requests = new LongAdder();

    private BlobStoreArtifactStore(BlobStore blobs, BucketLocation location, Executor io) {
        this.blobs = blobs;
        this.location = location;
        this.io = io;
    }

    /**
     * A store on {@code bucket} under {@code prefix}, creating the bucket first when it is missing and
     * {@code createBucket} says so; fails with {@code UNAVAILABLE} when it is missing and may not be created.
     */
    public static CompletionStage<BlobStoreArtifactStore> open(BlobStore blobs, String bucket, String prefix, boolean createBucket,
                                                               Executor io) {
        BlobStoreArtifactStore store = new BlobStoreArtifactStore(blobs, new BucketLocation(bucket, prefix), io);
        return store.call("open", bucket, () -> {
            if (!blobs.containerExists(bucket)) {
                if (!createBucket) {
                    throw new SpindleException(ErrorCode.UNAVAILABLE, "bucket '" + bucket + "' does not exist (create-bucket is off)");
                }
                blobs.createContainerInLocation(null, bucket);
            }
            return store;
        });
    }

    @Override
    public long requests() {
        return requests.sum();
    }

    @Override
    public CompletionStage<StoredObject> put(String key, Path file, String contentType) {
        requests.increment();
        // An invalid key or media type fails inside the call, typed as it is.
        return call("put", key, () -> {
            String objectKey = location.objectKey(key);
            String type = S3ArtifactStore.contentType(contentType).toString();
            long size = sizeOf(file);
            if (size <= S3ArtifactStore.IN_MEMORY_MAX_BYTES) {
                byte[] bytes = read(file);
                ContentDigest digest = ContentDigest.of(ByteString.fromArrayUnsafe(bytes));
                Blob blob = blobs.blobBuilder(objectKey).payload(bytes).contentLength(bytes.length).contentType(type).build();
                return new StoredObject(key, digest.size(), digest.sha256(), etag(blobs.putBlob(location.bucket(), blob)));
            }
            return putStreamed(key, objectKey, file, size, type);
        });
    }

    /** Streams a file larger than the in-memory limit, hashing it on the way; a file that changed size meanwhile is refused. */
    private StoredObject putStreamed(String key, String objectKey, Path file, long size, String type) {
        MessageDigest sha256 = ContentDigest.newSha256();
        String tag;
        long read;
        try (InputStream fileBytes = Files.newInputStream(file)) {
            CountingStream in = new CountingStream(new DigestInputStream(fileBytes, sha256));
            Blob blob = blobs.blobBuilder(objectKey).payload(in).contentLength(size).contentType(type).build();
            tag = etag(blobs.putBlob(location.bucket(), blob));
            // Whatever the blob store left unread (a file that grew) is counted too.
            in.transferTo(OutputStream.nullOutputStream());
            read = in.count;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (read != size) {
            blobs.removeBlob(location.bucket(), objectKey);
            throw new SpindleException(ErrorCode.INVALID_REQUEST,
                    "'" + file + "' changed while it was uploaded (" + size + " bytes when it started)");
        }
        return new StoredObject(key, size, HexFormat.of().formatHex(sha256.digest()), tag);
    }

    @Override
    public CompletionStage<ObjectContent> get(String key, Optional<ByteRange> range) {
        return head(key).thenApply(found -> {
            Optional<ResolvedRange> resolved = ResolvedRange.forGet(key, found, range);
            ObjectInfo info = found.orElseThrow();
            String objectKey = location.objectKey(key);
            GetOptions options = resolved.map(r -> new GetOptions().range(r.first(), r.last())).orElse(GetOptions.NONE);
            requests.increment();
            Source<ByteString, NotUsed> bytes = StreamConverters.fromInputStream(() -> {
                        Blob blob = blobs.getBlob(location.bucket(), objectKey, options);
                        if (blob == null) {
                            throw StoreFailures.notFound(key);
                        }
                        return blob.getPayload().openStream();
                    })
                    .mapMaterializedValue(io -> NotUsed.notUsed());
            return new ObjectContent(info, resolved, bytes);
        });
    }

    @Override
    public CompletionStage<Optional<ObjectInfo>> head(String key) {
        requests.increment();
        return call("head", key, () -> Optional.ofNullable(blobs.blobMetadata(location.bucket(), location.objectKey(key)))
                .map(meta -> info(key, meta)));
    }

    @Override
    public CompletionStage<Done> delete(String key) {
        requests.increment();
        return call("delete", key, () -> {
            blobs.removeBlob(location.bucket(), location.objectKey(key));
            return Done.getInstance();
        });
    }

    @Override
    public Source<String, NotUsed> list(String keyPrefix) {
        String objectPrefix = location.listPrefix(keyPrefix);
        requests.increment();
        // The state is the marker to list after: empty before the first page, null once the last page was read.
        return Source.unfoldAsync("", (String marker) -> marker == null
                        ? CompletableFuture.completedFuture(Optional.<Pair<String, List<String>>>empty())
                        : call("list", keyPrefix, () -> Optional.of(page(objectPrefix, marker))))
                .mapConcat(keys -> keys);
    }

    /** One page of object keys (no directory entries) after {@code marker}, with the marker of the next page or null. */
    private Pair<String, List<String>> page(String objectPrefix, String marker) {
        ListContainerOptions options = ListContainerOptions.Builder.recursive().maxResults(LIST_PAGE);
        if (!objectPrefix.isEmpty()) {
            options.prefix(objectPrefix);
        }
        if (!marker.isEmpty()) {
            options.afterMarker(marker);
        }
        PageSet<? extends StorageMetadata> page = blobs.list(location.bucket(), options);
        List<String> keys = page.stream()
                .filter(entry -> entry.getType() == StorageType.BLOB && !entry.getName().endsWith("/"))
                .map(entry -> location.relativeKey(entry.getName()))
                .toList();
        return Pair.create(page.getNextMarker(), keys);
    }

    @Override
    public String uri(String key) {
        return location.uri(key);
    }

    @Override
    public Optional<String> keyOf(String uri) {
        return location.keyOf(uri);
    }

    /** Runs a blocking blob store call on {@link #io}; a failure that is not typed yet means the store let us down. */
    private <T> CompletionStage<T> call(String operation, String key, Supplier<T> blocking) {
        return CompletableFuture.supplyAsync(blocking, io).handle((result, failure) -> {
            if (failure != null) {
                throw StoreFailures.typed(failure, operation, key);
            }
            return result;
        });
    }

    private static ObjectInfo info(String key, BlobMetadata meta) {
        String type = meta.getContentMetadata().getContentType();
        Long length = meta.getContentMetadata().getContentLength();
        return new ObjectInfo(key, length != null ? length : meta.getSize(),
                type != null ? type : ContentTypes.APPLICATION_OCTET_STREAM.toString(), etag(meta.getETag()));
    }

    /** An ETag as S3 clients read it from the header, without its quotes. */
    static String etag(String raw) {
        if (raw == null) {
            return "";
        }
        return raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"") ? raw.substring(1, raw.length() - 1) : raw;
    }

    private static long sizeOf(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IOException("not a regular file");
            }
            return Files.size(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static SpindleException unreadable(Path file, IOException e) {
        return new SpindleException(ErrorCode.INVALID_REQUEST, "cannot read '" + file + "': " + e.getMessage());
    }

    /**
     * Counts the bytes read through it, so a file that grew or shrank during an upload shows. Closing it leaves the
     * file open (the blob store closes what it consumed), so what is left can still be counted.
     */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public void close() {
        }
    }
}
