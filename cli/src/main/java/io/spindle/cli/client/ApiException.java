package io.spindle.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * The API refused or failed a request: its HTTP status and the {@code {"error": {"code", "message", "details"}}}
 * body. Codes are kept as strings: a newer server may answer codes this client's model does not list.
 */
public final class ApiException extends RuntimeException {
    private static final int NOT_FOUND = 404;
    // A non-JSON error body (a proxy's HTML page, say) is quoted in the message up to this many characters.
    private static final int MAX_QUOTED_BODY = 200;

    private final int status;
    private final String code;
    private final JsonNode details;
    private final String body;

    public ApiException(int status, String code, String message, JsonNode details, String body) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details == null ? MissingNode.getInstance() : details;
        this.body = body;
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
}
