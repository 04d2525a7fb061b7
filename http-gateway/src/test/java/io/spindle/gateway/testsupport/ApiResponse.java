package io.spindle.gateway.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.json.Json;
import java.net.http.HttpHeaders;
import java.util.Optional;

/** One answer of the API as a client sees it. */
public record ApiResponse(int status, HttpHeaders headers, String body) {

    public JsonNode json() {
        try {
            return Json.mapper().readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON (status " + status + "): " + body, e);
        }
    }

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /** Asserts the status, showing the body when it differs. */
    public ApiResponse expect(int expected) {
        assertEquals(expected, status, () -> "status of answer " + body);
        return this;
    }

    /** Asserts the one error shape and its code and status; returns the error object. */
    public JsonNode expectError(int expectedStatus, String expectedCode) {
        expect(expectedStatus);
        JsonNode root = json();
        assertEquals(1, root.size(), () -> "an error body has only 'error': " + body);
        JsonNode error = root.get("error");
        assertEquals(expectedCode, error.get("code").asText(), body);
        assertEquals(true, error.get("message").isTextual(), body);
        assertEquals(true, error.get("details").isObject(), body);
        assertEquals("application/json", header("Content-Type").orElse(""), body);
        return error;
    }

    /** Asserts a validation error that names {@code field}; returns what it says about it. */
    public String expectInvalidField(String field) {
        JsonNode error = expectError(400, "validation_failed");
        JsonNode problem = error.get("details").get("fields").get(field);
        if (problem == null) {
            throw new AssertionError("field '" + field + "' is not named in " + body);
        }
        return problem.asText();
    }
}
