package io.spindle.gateway.http;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import io.spindle.model.error.SpindleException;
import io.spindle.model.validation.FieldError;
import io.spindle.model.validation.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.HttpChallenge;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.headers.WWWAuthenticate;
import org.apache.pekko.http.javadsl.server.AuthenticationFailedRejection;
import org.apache.pekko.http.javadsl.server.AuthorizationFailedRejection;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedHeaderRejection;
import org.apache.pekko.http.javadsl.server.MalformedQueryParamRejection;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.MethodRejection;
import org.apache.pekko.http.javadsl.server.MissingQueryParamRejection;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.RequestEntityExpectedRejection;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.UnsupportedRequestContentTypeRejection;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the API reports errors: every failure, rejection and refusal becomes a
 * {@link SpindleError} whose code sets the HTTP status, in the body {@link ErrorBody}. Client
 * mistakes map to 4xx codes; only what nobody could have avoided is {@code internal} (500), logged
 * here with a reference the response repeats.
 */
public final class ApiErrors {
    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);
    /** The realm named in WWW-Authenticate challenges. */
    public static final String REALM = "spindle";
    /** Detail of a refusal worth retrying: whole seconds to wait first, repeated as the Retry-After header. */
    public static final String RETRY_AFTER_SECONDS = "retry_after_seconds";

    private ApiErrors() {}

    public static HttpResponse response(SpindleError error) {
        HttpResponse response = GatewayJson.response(StatusCodes.get(error.code().httpStatus()), new ErrorBody(error));
        return error.details().get(RETRY_AFTER_SECONDS) instanceof Number seconds
                ? response.addHeader(RetryAfter.create(seconds.longValue())) : response;
    }

    public static HttpResponse response(SpindleError error, List<HttpHeader> headers) {
        return response(error).addHeaders(headers);
    }

    public static HttpResponse response(Throwable failure) {
        return response(toError(failure));
    }

    public static Route reply(SpindleError error) {
        return complete(response(error));
    }

    /** The 401 answer, with the challenge telling the client which scheme to use. */
    public static HttpResponse unauthorized(String message) {
        return response(SpindleError.of(ErrorCode.UNAUTHORIZED, message),
                List.of(WWWAuthenticate.create(HttpChallenge.create("Bearer", REALM))));
    }

    public static SpindleError payloadTooLarge(long limit) {
        return SpindleError.of(ErrorCode.PAYLOAD_TOO_LARGE, "the request body is larger than the limit of " + limit + " bytes",
                Map.of("limit_bytes", limit));
    }

    /** The typed error a failure stands for. */
    public static SpindleError toError(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof SpindleException e) {
            return e.error();
        }
        if (t instanceof ValidationException e) {
            return SpindleError.validation(e.errors());
        }
        if (t instanceof JsonProcessingException e) {
            return SpindleError.validation(List.of(JsonProblems.fieldError(e)));
        }
        if (t instanceof EntityStreamSizeException e) {
            return payloadTooLarge(e.limit());
        }
        if (t instanceof EntityStreamException e) {
            // Malformed chunking, a connection closed mid-body: the client's request, not the node, is broken.
            return SpindleError.of(ErrorCode.INVALID_REQUEST, "the request body cannot be read: " + e.info().formatPretty());
        }
        if (t instanceof TimeoutException) {
            return SpindleError.of(ErrorCode.TIMEOUT, "no answer in time, try again: " + t.getMessage());
        }
        if (t instanceof IllegalRequestException e) {
            return SpindleError.of(ErrorCode.INVALID_REQUEST, e.info().formatPretty());
        }
        String reference = UUID.randomUUID().toString();
        log.error("internal error, reference {}", reference, t);
        return SpindleError.of(ErrorCode.INTERNAL, "internal error; the node's log has the details under reference " + reference,
                Map.of("reference", reference));
    }

    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Turns every exception a route throws or fails its future with into the error response. */
    public static ExceptionHandler exceptionHandler() {
        return ExceptionHandler.newBuilder().match(Throwable.class, t -> complete(response(t))).build();
    }

    /** Turns every rejection into the error response; nothing falls through to Pekko's plain-text defaults. */
    public static RejectionHandler rejectionHandler() {
        return RejectionHandler.newBuilder()
                .handleAll(MethodRejection.class, rejections -> extractRequest(request -> {
                    List<HttpMethod> allowed = rejections.stream().map(MethodRejection::supported).distinct().toList();
                    List<String> names = allowed.stream().map(HttpMethod::name).toList();
                    return complete(response(SpindleError.of(ErrorCode.METHOD_NOT_ALLOWED,
                                    request.method().name() + " is not allowed on " + request.getUri().path() + "; allowed: "
                                            + String.join(", ", names), Map.of("allowed", names)),
                            List.of(Allow.create(allowed.toArray(new HttpMethod[0])))));
                }))
                .handle(UnsupportedRequestContentTypeRejection.class, r -> extractRequest(request -> reply(SpindleError.of(
                        ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON: send Content-Type: application/json, not "
                                + request.entity().getContentType(),
                        Map.of("content_type", request.entity().getContentType().toString())))))
                .handle(MalformedRequestContentRejection.class, r -> reply(
                        SpindleError.validation(List.of(new FieldError(JsonProblems.BODY, r.message())))))
                .handle(RequestEntityExpectedRejection.class, r -> reply(
                        SpindleError.validation(List.of(new FieldError(JsonProblems.BODY, "is required")))))
                .handle(MalformedQueryParamRejection.class, r -> reply(
                        SpindleError.validation(List.of(new FieldError(r.parameterName(), r.errorMsg())))))
                .handle(MissingQueryParamRejection.class, r -> reply(
                        SpindleError.validation(List.of(new FieldError(r.parameterName(), "is required")))))
                .handle(MalformedHeaderRejection.class, r -> reply(SpindleError.of(ErrorCode.INVALID_REQUEST,
                        "header " + r.headerName() + " is malformed: " + r.errorMsg(), Map.of("header", r.headerName()))))
                .handle(AuthenticationFailedRejection.class, r -> complete(unauthorized("a valid bearer token is required")))
                .handle(AuthorizationFailedRejection.class, r -> complete(unauthorized("a valid bearer token is required")))
                .handle(Rejection.class, r -> reply(SpindleError.of(ErrorCode.INVALID_REQUEST, "the request was refused: " + r)))
                .handleNotFound(extractRequest(request -> reply(SpindleError.of(ErrorCode.NOT_FOUND,
                        "no such endpoint: " + request.method().name() + " " + request.getUri().path()))))
                .build();
    }
}
