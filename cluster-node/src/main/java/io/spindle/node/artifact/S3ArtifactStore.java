package io.spindle.node.artifact;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleException;
import io.spindle.node.concurrent.PekkoStages;
import io.spindle.node.stream.StreamRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.connectors.s3.AccessStyle;
import org.apache.pekko.stream.connectors.s3.BucketAccess;
import org.apache.pekko.stream.connectors.s3.ObjectMetadata;
import org.apache.pekko.stream.connectors.s3.S3Attributes;
import org.apache.pekko.stream.connectors.s3.S3Settings;
import org.apache.pekko.stream.connectors.s3.javadsl.S3;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The {@link ArtifactStore} on an S3-compatible bucket (AWS, MinIO, R2, B2, S3Proxy) through
 * pekko-connectors-s3. Connection pooling, request retries and multipart buffering follow the
 * connector's own {@code pekko.connectors.s3} settings; where and who we are comes from
 * {@link S3StoreSettings}.
 */
public final class S3ArtifactStore implements MeteredArtifactStore {
    private static final Logger log = LoggerFactory.getLogger(S3ArtifactStore.class);
    private static final int PARSED_TYPES_KEPT = 256;
    private static final Map<String, ContentType> PARSED_TYPES = new ConcurrentHashMap<>();
    /**
     * Files up to this size are read in one call on the calling thread (which already stats them) and sent from
     * memory; larger ones stream from the file. JSON and text outputs are far below it, most images and clips above.
     */
    static final int IN_MEMORY_MAX_BYTES = 256 * 1024;

    private final ClassicActorSystemProvider system;
    private final Materializer materializer;
    private final S3StoreSettings settings;
    private final BucketLocation location;
    private final Attributes s3;
    private final LongAdder requests = new LongAdder();

    private S3ArtifactStore(ClassicActorSystemProvider system, S3StoreSettings settings) {
        this.system = system;
        this.materializer = StreamRuns.get(system).materializer(StreamRuns.Site.ARTIFACTS);
        this.settings = settings;
        this.location = new BucketLocation(settings.bucket(), settings.prefix());
        this.s3 = S3Attributes.settings(connectorSettings(system, settings));
    }

    /**
     * A store on the configured bucket, created first when it is missing and
     * {@link S3StoreSettings#createBucket()} says so. Fails with {@code UNAVAILABLE} when the bucket
     * cannot be reached, is missing (and not to be created) or access is denied.
     */
    public static CompletionStage<S3ArtifactStore> open(ClassicActorSystemProvider system, S3StoreSettings settings) {
        S3ArtifactStore store = new S3ArtifactStore(system, settings);
        return store.ensureBucket().thenApply(done -> {
            log.info("Artifact store on {}", settings);
            return store;
        });
    }

    public S3StoreSettings settings() {
        return settings;
    }

    @Override
    public long requests() {
        return requests.sum();
    }

    @Override
    public CompletionStage<StoredObject> put(String key, Path file, String contentType) {
        requests.increment();
        final String objectKey;
        final ContentType type;
        final long size;
        final ByteString small;
        try {
            objectKey = location.objectKey(key);
            type = contentType(contentType);
            if (!Files.isRegularFile(file)) {
                throw new IOException("not a regular file");
            }
            size = Files.size(file);
            small = size <= IN_MEMORY_MAX_BYTES && size < settings.multipartThreshold()
                    ? ByteString.fromArrayUnsafe(Files.readAllBytes(file)) : null;
        } catch (SpindleException e) {
            return CompletableFuture.failedFuture(e);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(
                    new SpindleException(ErrorCode.INVALID_REQUEST, "cannot read '" + file + "': " + e.getMessage()));
        }
        if (small != null) {
            return putSmall(key, objectKey, small, type);
        }
        CompletableFuture<ContentDigest> digest = new CompletableFuture<>();
        if (size == 0) {
            // An empty entity is sent without running its source, so nothing would hash it.
            digest.complete(ContentDigest.of(ByteString.emptyByteString()));
        }
        Source<ByteString, NotUsed> data = FileIO.fromPath(file)
                .via(ContentDigest.flow(size, digest))
                .mapMaterializedValue(io -> NotUsed.notUsed());
        CompletionStage<String> etag;
        if (size >= settings.multipartThreshold()) {
            // Parts are buffered and retried one by one by the connector, so the file is read once.
            etag = PekkoStages.direct(data.runWith(
                            S3.multipartUpload(settings.bucket(), objectKey, type).withAttributes(s3), materializer))
                    .thenApply(result -> result.getETag());
        } else {
            // One PUT with a known length; should the HTTP layer re-send it, the file is read again
            // and the digest is that of the full pass (see ContentDigest.flow).
            etag = putObject(objectKey, data, size, type);
        }
        return etag.handle((tag, failure) -> {
            if (failure != null) {
                throw StoreFailures.typed(failure, "put", key);
            }
            ContentDigest d = digest.getNow(null);
            if (d == null || d.size() != size) {
                throw new SpindleException(ErrorCode.INVALID_REQUEST,
                        "'" + file + "' changed while it was uploaded (" + size + " bytes when it started)");
            }
            return new StoredObject(key, d.size(), d.sha256(), tag);
        });
    }

    /**
     * A file of at most {@link #IN_MEMORY_MAX_BYTES}, already read: digested here and sent as one element, so its
     * PUT runs no file-reading stage (which Pekko runs as an actor of its own on the blocking-io dispatcher).
     */
    private CompletionStage<StoredObject> putSmall(String key, String objectKey, ByteString bytes, ContentType type) {
        ContentDigest digest = ContentDigest.of(bytes);
        return putObject(objectKey, Source.single(bytes), bytes.size(), type).handle((tag, failure) -> {
            if (failure != null) {
                throw StoreFailures.typed(failure, "put", key);
            }
            return new StoredObject(key, digest.size(), digest.sha256(), tag);
        });
    }

    private CompletionStage<String> putObject(String objectKey, Source<ByteString, NotUsed> data, long size, ContentType type) {
        return PekkoStages.direct(S3.putObject(settings.bucket(), objectKey, data, size, type)
                        .withAttributes(s3)
                        .runWith(Sink.head(), materializer))
                .thenApply(meta -> meta.getETag().orElse(""));
    }

    @Override
    public CompletionStage<ObjectContent> get(String key, Optional<ByteRange> range) {
        return head(key).thenApply(found -> {
            Optional<ResolvedRange> resolved = ResolvedRange.forGet(key, found, range);
            ObjectInfo info = found.orElseThrow();
            String objectKey = location.objectKey(key);
            requests.increment();
            Source<ByteString, NotUsed> bytes = resolved
                    .map(r -> S3.getObject(settings.bucket(), objectKey, ByteRange.createSlice(r.first(), r.last())))
                    .orElseGet(() -> S3.getObject(settings.bucket(), objectKey))
                    .withAttributes(s3)
                    .mapMaterializedValue(meta -> NotUsed.notUsed());
            return new ObjectContent(info, resolved, bytes);
        });
    }

    @Override
    public CompletionStage<Optional<ObjectInfo>> head(String key) {
        String objectKey;
        try {
            objectKey = location.objectKey(key);
        } catch (SpindleException e) {
            return CompletableFuture.failedFuture(e);
        }
        requests.increment();
        return PekkoStages.direct(S3.getObjectMetadata(settings.bucket(), objectKey)
                .withAttributes(s3)
                .runWith(Sink.head(), materializer))
                .handle((meta, failure) -> {
                    if (failure != null) {
                        throw StoreFailures.typed(failure, "head", key);
                    }
                    return meta.map(m -> info(key, m));
                });
    }

    @Override
    public CompletionStage<Done> delete(String key) {
        String objectKey;
        try {
            objectKey = location.objectKey(key);
        } catch (SpindleException e) {
            return CompletableFuture.failedFuture(e);
        }
        requests.increment();
        return PekkoStages.direct(S3.deleteObject(settings.bucket(), objectKey)
                .withAttributes(s3)
                .runWith(Sink.ignore(), materializer))
                .handle((done, failure) -> {
                    if (failure != null) {
                        throw StoreFailures.typed(failure, "delete", key);
                    }
                    return Done.getInstance();
                });
    }

    @Override
    public Source<String, NotUsed> list(String keyPrefix) {
        String objectPrefix = location.listPrefix(keyPrefix);
        requests.increment();
        return S3.listBucket(settings.bucket(), objectPrefix.isEmpty() ? Optional.empty() : Optional.of(objectPrefix))
                .withAttributes(s3)
                // S3Proxy's filesystem backend lists directories as "name/" entries; they are no objects.
                .filter(entry -> !entry.getKey().endsWith("/"))
                .map(entry -> location.relativeKey(entry.getKey()))
                .mapError(RuntimeException.class, e -> StoreFailures.typed(e, "list", keyPrefix));
    }

    @Override
    public String uri(String key) {
        return location.uri(key);
    }

    @Override
    public Optional<String> keyOf(String uri) {
        return location.keyOf(uri);
    }

    private CompletionStage<Done> ensureBucket() {
        String bucket = settings.bucket();
        return PekkoStages.direct(S3.checkIfBucketExists(bucket, system, s3)).thenCompose(access -> {
            if (access.equals(BucketAccess.accessGranted())) {
                return CompletableFuture.completedFuture(Done.getInstance());
            }
            if (access.equals(BucketAccess.notExists()) && settings.createBucket()) {
                log.info("Creating bucket {}", bucket);
                return PekkoStages.direct(S3.makeBucket(bucket, system, s3)).exceptionallyCompose(failure ->
                        // Another node may have created it in the meantime; that is as good.
                        PekkoStages.direct(S3.checkIfBucketExists(bucket, system, s3)).thenApply(again -> {
                            if (again.equals(BucketAccess.accessGranted())) {
                                return Done.getInstance();
                            }
                            throw StoreFailures.typed(failure, "create bucket", bucket);
                        }));
            }
            String why = access.equals(BucketAccess.notExists()) ? "does not exist (create-bucket is off)" : "denies access";
            throw new SpindleException(ErrorCode.UNAVAILABLE, "bucket '" + bucket + "' " + why);
        }).handle((done, failure) -> {
            if (failure != null) {
                throw StoreFailures.typed(failure, "open", bucket);
            }
            return done;
        });
    }

    private static ObjectInfo info(String key, ObjectMetadata meta) {
        return new ObjectInfo(key, meta.getContentLength(),
                meta.getContentType().orElse(ContentTypes.APPLICATION_OCTET_STREAM.toString()), meta.getETag().orElse(""));
    }

    /**
     * The media type of a PUT, checked; parsing it is a tenth of an upload's CPU on the blocking threads, and a
     * deployment's workers use a handful, so valid ones are kept (up to {@link #PARSED_TYPES_KEPT}).
     */
    static ContentType contentType(String value) {
        if (value == null || value.isBlank()) {
            return ContentTypes.APPLICATION_OCTET_STREAM;
        }
        ContentType known = PARSED_TYPES.get(value);
        if (known != null) {
            return known;
        }
        ContentType parsed;
        try {
            parsed = ContentTypes.parse(value);
        } catch (RuntimeException e) {
            throw new SpindleException(ErrorCode.INVALID_REQUEST, "invalid media type '" + value + "'");
        }
        if (PARSED_TYPES.size() < PARSED_TYPES_KEPT) {
            PARSED_TYPES.put(value, parsed);
        }
        return parsed;
    }

    private static S3Settings connectorSettings(ClassicActorSystemProvider system, S3StoreSettings settings) {
        S3Settings s = S3Settings.create(system)
                .withS3RegionProvider(() -> Region.of(settings.region()))
                .withAccessStyle(settings.pathStyleAccess() ? AccessStyle.pathAccessStyle() : AccessStyle.virtualHostAccessStyle());
        if (!settings.endpoint().isEmpty()) {
            s = s.withEndpointUrl(settings.endpoint());
        }
        S3StoreSettings.Credentials mode = settings.effectiveCredentials();
        AwsCredentialsProvider credentials;
        if (mode == S3StoreSettings.Credentials.STATIC) {
            credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
        } else if (mode == S3StoreSettings.Credentials.DEFAULT) {
            credentials = DefaultCredentialsProvider.create();
        } else {
            credentials = AnonymousCredentialsProvider.create();
        }
        return s.withCredentialsProvider(credentials)
                .withSignAnonymousRequests(mode != S3StoreSettings.Credentials.ANONYMOUS);
    }
}
