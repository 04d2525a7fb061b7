package io.spindle.gateway.artifacts;

import io.micrometer.core.instrument.Counter;
import io.spindle.gateway.http.ApiErrors;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.node.artifact.ArtifactStore;
import io.spindle.node.artifact.ObjectContent;
import io.spindle.node.artifact.ResolvedRange;
import io.spindle.node.artifact.VerifiedBytes;
import io.spindle.node.metrics.SpindleMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ResponseEntity;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.AcceptRanges;
import org.apache.pekko.http.javadsl.model.headers.ByteRange;
import org.apache.pekko.http.javadsl.model.headers.ContentRange;
import org.apache.pekko.http.javadsl.model.headers.ETag;
import org.apache.pekko.http.javadsl.model.headers.EntityTag;
import org.apache.pekko.http.javadsl.model.headers.Range;
import org.apache.pekko.http.javadsl.model.headers.RangeUnits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an artifact's bytes from the artifact store, streaming: the ETag is the content's SHA-256
 * (so any node gives the same one), a single byte range answers 206 and several ranges the whole
 * content (RFC 9110 lets a server ignore Range), a range past the end answers 416, and a matching
 * If-None-Match answers 304 without touching the store.
 *
 * <p>The bytes are checked against what was recorded when they were stored, since anyone holding the bucket's
 * credentials can replace an object: a stored size that differs answers 500 before any byte is sent; the whole
 * content is hashed on the way out and its last chunk held back until the digest matches, so on a mismatch the
 * response is cut short of its Content-Length (an error in every client) instead of completing with wrong bytes
 * under the recorded ETag. Each mismatch is logged and counted ({@code spindle_artifact_integrity_failures_total}).
 * A range is checked for the object's size only: its digest would need the whole object.
 */
final class ArtifactBytes {
    private static final Logger log = LoggerFactory.getLogger(ArtifactBytes.class);
    private static final String IF_NONE_MATCH = "If-None-Match";
    private static final String ANY = "*";
    private static final String WEAK_PREFIX = "W/";

    private final ArtifactStore store;
    private final Counter integrityFailures;

    ArtifactBytes(ArtifactStore store, SpindleMetrics metrics) {
        this.store = store;
        this.integrityFailures = metrics.counter("spindle_artifact_integrity_failures",
                "Artifact reads whose stored bytes differed from the size or SHA-256 recorded at upload");
    }

    CompletionStage<HttpResponse> serve(Artifact artifact, HttpRequest request) {
        String key = store.keyOf(artifact.uri()).orElseThrow(() -> new SpindleException(SpindleError.of(ErrorCode.ARTIFACT_NOT_FOUND,
                "the bytes of artifact " + artifact.id() + " are not in this deployment's artifact store",
                Map.of("artifact_id", artifact.id(), "uri", artifact.uri()))));
        EntityTag etag = EntityTag.create(artifact.sha256(), false);
        if (notModified(request, artifact.sha256())) {
            return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).addHeader(ETag.create(etag)));
        }
        Optional<ByteRange> range = singleRange(request);
        return store.get(key, range).handle((content, failure) -> {
            if (failure == null) {
                if (content.info().size() != artifact.size()) {
                    return mismatch(artifact, "the stored object has " + content.info().size() + " bytes");
                }
                return response(artifact, verified(artifact, content), etag);
            }
            SpindleError error = ApiErrors.toError(failure);
            if (error.code() == ErrorCode.RANGE_NOT_SATISFIABLE) {
                Object size = error.details().getOrDefault("size", artifact.size());
                long total = size instanceof Number n ? n.longValue() : artifact.size();
                return ApiErrors.response(error, List.of(ContentRange.create(RangeUnits.BYTES,
                        org.apache.pekko.http.javadsl.model.ContentRange.createUnsatisfiable(total))));
            }
            return ApiErrors.response(error);
        });
    }

    /** The whole content checked against the recorded digest as it streams; a range as it is. */
    private ObjectContent verified(Artifact artifact, ObjectContent content) {
        if (content.range().isPresent()) {
            return content;
        }
        return new ObjectContent(content.info(), content.range(), VerifiedBytes.of(content.bytes(), artifact.size(), artifact.sha256(),
                m -> {
                    integrityFailures.increment();
                    log.error("Artifact {} ({}): {}; the response was cut short", artifact.id(), artifact.uri(), m.getMessage());
                }));
    }

    private HttpResponse mismatch(Artifact artifact, String what) {
        integrityFailures.increment();
        log.error("Artifact {} ({}) was changed after it was stored: recorded {} bytes with SHA-256 {}, {}",
                artifact.id(), artifact.uri(), artifact.size(), artifact.sha256(), what);
        return ApiErrors.response(SpindleError.of(ErrorCode.INTERNAL,
                "the stored bytes of artifact " + artifact.id() + " differ from those recorded when it was stored",
                Map.of("artifact_id", artifact.id(), "sha256", artifact.sha256(), "size", artifact.size())));
    }

    private static HttpResponse response(Artifact artifact, ObjectContent content, EntityTag etag) {
        ContentType type = contentType(artifact.mime(), content.info().contentType());
        long length = content.contentLength();
        ResponseEntity entity = length == 0 ? HttpEntities.create(type, new byte[0]) : HttpEntities.create(type, length, content.bytes());
        List<HttpHeader> headers = new ArrayList<>(List.of(ETag.create(etag), AcceptRanges.create(RangeUnits.BYTES)));
        if (content.range().isEmpty()) {
            return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(entity).addHeaders(headers);
        }
        ResolvedRange r = content.range().get();
        headers.add(ContentRange.create(RangeUnits.BYTES,
                org.apache.pekko.http.javadsl.model.ContentRange.create(r.first(), r.last(), content.info().size())));
        return HttpResponse.create().withStatus(StatusCodes.PARTIAL_CONTENT).withEntity(entity).addHeaders(headers);
    }

    /** The artifact's recorded media type, else the store's, else bytes. */
    private static ContentType contentType(String mime, String stored) {
        for (String candidate : new String[] {mime, stored}) {
            if (candidate != null && !candidate.isBlank()) {
                try {
                    return ContentTypes.parse(candidate);
                } catch (RuntimeException e) {
                    // not a valid media type: try the next one
                }
            }
        }
        return ContentTypes.APPLICATION_OCTET_STREAM;
    }

    private static Optional<ByteRange> singleRange(HttpRequest request) {
        Optional<Range> header = request.getHeader(Range.class);
        if (header.isEmpty() || !header.get().rangeUnit().equals(RangeUnits.BYTES)) {
            return Optional.empty();
        }
        List<ByteRange> ranges = new ArrayList<>();
        header.get().getRanges().forEach(ranges::add);
        return ranges.size() == 1 ? Optional.of(ranges.get(0)) : Optional.empty();
    }

    private static boolean notModified(HttpRequest request, String sha256) {
        Optional<HttpHeader> header = request.getHeader(IF_NONE_MATCH);
        if (header.isEmpty()) {
            return false;
        }
        for (String tag : header.get().value().split(",")) {
            String t = tag.trim();
            if (t.startsWith(WEAK_PREFIX)) {
                t = t.substring(WEAK_PREFIX.length());
            }
            if (t.equals(ANY) || t.equals("\"" + sha256 + "\"")) {
                return true;
            }
        }
        return false;
    }
}
