package io.spindle.cli.client;

import com.fasterxml.jackson.databind.JsonNode;

/** A successful answer of the API: its HTTP status and its body exactly as sent (what {@code --json} prints). */
public record ApiReply(int status, String body) {

    /** The body as a JSON tree. */
    public JsonNode json() {
        return ApiJson.parse(body);
    }

    /** The body read into one of the model's records, tolerating fields this client does not know. */
    public <T> T as(Class<T> type) {
        return ApiJson.read(body, type);
    }
}
