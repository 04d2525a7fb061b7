package io.spindle.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.Optional;

/**
 * The API refused or failed a request: its HTTP status and the {@code {"error": {"code", "message", "details"}}}
 * body. Codes are kept as strings: a newer server may answer codes this client's model does not list.
 */
public final class ApiException extends RuntimeException {
    private static final int NOT_FOUND = 404;
    private static final int TOO_MANY_REQUESTS = 429;
    // A non-JSON error body (a proxy's HTML page, say) is quoted in the message up to this many characters.
    private static final int MAX_QUOTED_BODY = 200;

    private final int status;
    private final String code;
    private final JsonNode details;
    private final String body;
    private final Duration retryAfter;

    public ApiException(int status, String code, String message, JsonNode details, String body) {
        this(status, code, message, details, body, null);
    }

    /** @param retryAfter how long the server asked to wait before retrying (its Retry-After header), or null */
    public ApiException(int status, String code, String message, JsonNode details, String body, Duration retryAfter) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? MissingNode.getInstance() : details;
        this.body = body;
        this.retryAfter = retryAfter;
    }

    /** Reads an error answer with its Retry-After header (delay seconds; absent or a date: none). */
    public static ApiException fromResponse(int status, String body, Optional<String> retryAfterHeader) {
        ApiException e = fromResponse(status, body);
        Duration delay = retryAfterHeader.flatMap(ApiException::delaySeconds).orElse(null);
        return delay == null ? e : new ApiException(e.status, e.code, e.getMessage(), e.details, e.body, delay);
    }

    private static Optional<Duration> delaySeconds(String header) {
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Reads an error answer; a body that is not the documented error shape still yields a readable error. */
    public static ApiException fromResponse(int status, String body) {
        JsonNode error;
        try {
            error = ApiJson.parse(body).path("error");
        } catch (ApiFormatException e) {
            error = MissingNode.getInstance();
        }
        if (error.path("code").isTextual() && error.path("message").isTextual()) {
            return new ApiException(status, error.get("code").asText(), error.get("message").asText(), error.path("details"), body);
        }
        String text = body == null ? "" : body.strip();
        String quoted = text.isEmpty() ? "" : ": " + (text.length() > MAX_QUOTED_BODY ? text.substring(0, MAX_QUOTED_BODY) + "…" : text);
        return new ApiException(status, "http_" + status, "the server answered HTTP " + status + quoted, null, body);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public JsonNode details() {
        return details;
    }

    /** The error body exactly as the server sent it. */
    public String body() {
        return body;
    }

    public boolean isNotFound() {
        return status == NOT_FOUND;
    }

    /** The server is saturated and created nothing (429): worth retrying after {@link #retryAfter()}. */
    public boolean isOverloaded() {
        return status == TOO_MANY_REQUESTS;
    }

    /** The delay the server asked for before a retry (its Retry-After header), if it named one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
