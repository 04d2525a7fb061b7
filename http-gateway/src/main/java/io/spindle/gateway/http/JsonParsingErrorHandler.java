package io.spindle.gateway.http;

import io.spindle.model.error.ErrorCode;
import io.spindle.model.error.SpindleError;
import java.util.List;
import java.util.Map;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests too malformed to reach the routes (bad request line or headers, oversized URI or
 * headers, unknown methods) with the API's one error shape instead of Pekko's plain text. Our codes
 * each have one status, so Pekko's finer statuses map onto them: too large → 413, unknown method →
 * 405, anything else → 400. Configured as {@code pekko.http.server.parsing.error-handler}.
 *
 * <p>Pekko refuses an unknown method before it reads the path, so the 405's {@code Allow} header names
 * every method the API serves ({@link #API_METHODS}) rather than the path's own.
 */
public final class JsonParsingErrorHandler extends ParsingErrorHandler {
    private static final int PAYLOAD_TOO_LARGE = 413;
    private static final int NOT_IMPLEMENTED = 501;
    /** Every method some endpoint serves; RouteTableTest checks the list against the route table. */
    public static final List<HttpMethod> API_METHODS = List.of(HttpMethods.GET, HttpMethods.PATCH, HttpMethods.POST, HttpMethods.PUT);

    @Override
    public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
        log.debug("refused an unparsable request ({}): {}", status, info.formatPretty());
        ErrorCode code = codeFor(status.intValue());
        if (code == ErrorCode.METHOD_NOT_ALLOWED) {
            List<String> names = API_METHODS.stream().map(HttpMethod::name).toList();
            return ApiErrors.response(SpindleError.of(code, "the method is not one the API serves: " + info.formatPretty() + "; allowed: "
                            + String.join(", ", names), Map.of("allowed", names)),
                    List.of(Allow.create(API_METHODS.toArray(new HttpMethod[0]))));
        }
        return ApiErrors.response(SpindleError.of(code, "the request cannot be parsed: " + info.summary()));
    }

    private static ErrorCode codeFor(int status) {
        if (status == PAYLOAD_TOO_LARGE) {
            return ErrorCode.PAYLOAD_TOO_LARGE;
        }
        if (status == NOT_IMPLEMENTED) {
            return ErrorCode.METHOD_NOT_ALLOWED;
        }
        return ErrorCode.INVALID_REQUEST;
    }
}
