package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.extractRequestEntity;
import static org.apache.pekko.http.javadsl.server.Directives.onSuccess;
import static org.apache.pekko.http.javadsl.server.Directives.reject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.validation.ValidationException;
import io.spindle.node.concurrent.PekkoStages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.RequestEntity;
import org.apache.pekko.http.javadsl.server.Rejections;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Reads JSON request bodies: refuses other media types (415), reads at most the configured number
 * of bytes (413 beyond), parses strictly ({@link GatewayJson}) within the {@link JsonLimits}, naming
 * the offending field, and accepts only a JSON object as a body.
 */
public final class RequestBodies {
    /** The largest over-limit body read to its end before the 413, so that its sender gets to read the answer. */
    static final long DISCARD_MAX_BYTES = 16L * 1024 * 1024;
    private final long maxBytes;
    private final Duration readTimeout;
    private final Duration stallTimeout;
    private final JsonLimits limits;
    private final ObjectReader reader;
    /** Counts the bodies read as a stream (io.spindle.node.stream.StreamRuns, site http). */
    private final Materializer materializer;

    public RequestBodies(long maxBytes, Duration readTimeout, Duration stallTimeout, JsonLimits limits, Materializer materializer) {
        this.materializer = materializer;
        this.maxBytes = maxBytes;
        this.readTimeout = readTimeout;
        this.stallTimeout = stallTimeout;
        this.limits = limits;
        this.reader = GatewayJson.reader(limits);
    }

    /** The limits every body is checked against; routes check their free-form values with {@link JsonLimits#checkValue}. */
    public JsonLimits limits() {
        return limits;
    }

    /** The body as a JSON tree; an empty body is a validation error naming {@code body}. */
    public Route json(Function<JsonNode, Route> inner) {
        return body(body -> inner.apply(body.orElseThrow(() -> new ValidationException(JsonProblems.BODY, "is required: a JSON object"))));
    }

    /** The body bound to {@code type}. */
    public <T> Route json(Class<T> type, Function<T, Route> inner) {
        return json(tree -> inner.apply(GatewayJson.bind(tree, type)));
    }

    /** The body bound to {@code type}, or empty when the request has no body. */
    public <T> Route optionalJson(Class<T> type, Function<Optional<T>, Route> inner) {
        return body(body -> inner.apply(body.map(tree -> GatewayJson.bind(tree, type))));
    }

    private Route body(Function<Optional<JsonNode>, Route> inner) {
        return extractRequestEntity(entity -> {
            if (!entity.isKnownEmpty() && !isJson(entity.getContentType())) {
                return reject(Rejections.unsupportedRequestContentType(List.of(MediaTypes.APPLICATION_JSON),
                        Optional.of(entity.getContentType())));
            }
            return onSuccess(strict(entity), data -> inner.apply(
                    data.isEmpty() ? Optional.empty() : Optional.of(checked(GatewayJson.parse(reader, data.toArray())))));
        });
    }

    private JsonNode checked(JsonNode body) {
        if (!body.isObject()) {
            throw new ValidationException(JsonProblems.BODY, "must be a JSON object, not " + body.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        limits.checkBody(body);
        return body;
    }

    private CompletionStage<ByteString> strict(RequestEntity entity) {
        long declared = entity.getContentLengthOption().orElse(0L);
        if (declared > maxBytes) {
            return refuseTooLarge(entity, declared);
        }
        // Most bodies arrive with their headers: read as is, without materializing a stream per request.
        if (entity instanceof HttpEntity.Strict strictEntity) {
            return CompletableFuture.completedFuture(strictEntity.getData());
        }
        // A body without a declared length (chunked) fails with EntityStreamSizeException past the limit: 413 too.
        // A body that stops arriving (fewer bytes than its Content-Length) is refused after stallTimeout, not
        // left to the request timeout: waiting longer cannot make it whole.
        return PekkoStages.direct(entity.withSizeLimit(maxBytes).getDataBytes()
                        .idleTimeout(stallTimeout)
                        .completionTimeout(readTimeout)
                        .runFold(ByteString.emptyByteString(), ByteString::concat, materializer))
                .exceptionally(failure -> {
                    if (ApiErrors.unwrap(failure) instanceof TimeoutException) {
                        throw new SpindleException(SpindleError.of(ErrorCode.INVALID_REQUEST, "the request body did not arrive: "
                                + "nothing for " + stallTimeout.toMillis() + " ms, or not all of it within " + readTimeout.toMillis()
                                + " ms (is Content-Length larger than the body?)"));
                    }
                    throw failure instanceof CompletionException c ? c : new CompletionException(failure);
                });
    }

    /**
     * 413 for a body whose declared length is over the limit. A client still sending it would otherwise meet a
     * connection closed on unread bytes (a TCP reset) and often never read the answer; so a body of up to
     * {@link #DISCARD_MAX_BYTES} is read and thrown away first (within the same stall and read timeouts), and only a
     * larger one is refused at once.
     */
    private CompletionStage<ByteString> refuseTooLarge(RequestEntity entity, long declared) {
        SpindleException tooLarge = new SpindleException(ApiErrors.payloadTooLarge(maxBytes));
        if (declared > DISCARD_MAX_BYTES) {
            throw tooLarge;
        }
        // Its own size limit: Pekko's server-wide one (max-content-length, 8m by default) would fail the read early.
        return PekkoStages.direct(entity.withSizeLimit(DISCARD_MAX_BYTES).getDataBytes()
                        .idleTimeout(stallTimeout)
                        .completionTimeout(readTimeout)
                        .runWith(Sink.ignore(), materializer))
                .handle((discarded, failure) -> {
                    throw tooLarge;
                });
    }

    private static boolean isJson(ContentType type) {
        MediaType media = type.mediaType();
        return media.mainType().equals("application") && (media.subType().equals("json") || media.subType().endsWith("+json"));
    }
}
