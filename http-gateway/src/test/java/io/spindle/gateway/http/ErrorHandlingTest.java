package io.spindle.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the API answers to requests no endpoint serves: always the one JSON error shape. */
class ErrorHandlingTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();

    private ApiClient api;

    @BeforeEach
    void setUp() {
        api = NODE.api();
    }

    @Test
    void anUnknownPathIsNotFound() {
        assertTrue(api.get("/nope").expectError(404, "not_found").get("message").asText().contains("GET /nope"));
        api.get("/jobs/").expectError(404, "not_found");
        api.get("/configs/x/y/z").expectError(404, "not_found");
        api.get("/").expectError(404, "not_found");
    }

    @Test
    void aWrongMethodIsNotAllowedAndSaysWhichAre() {
        ApiResponse r = api.method("DELETE", "/jobs");
        JsonNode error = r.expectError(405, "method_not_allowed");
        assertEquals("GET, POST", r.header("Allow").orElseThrow());
        assertEquals(List.of("GET", "POST"), List.of(error.get("details").get("allowed").get(0).asText(),
                error.get("details").get("allowed").get(1).asText()));

        ApiResponse put = api.method("PUT", "/configs/some-config");
        put.expectError(405, "method_not_allowed");
        assertEquals("GET, PATCH", put.header("Allow").orElseThrow());
        ApiResponse post = api.method("POST", "/health");
        post.expectError(405, "method_not_allowed");
        assertEquals("GET", post.header("Allow").orElseThrow());
        // GET /jobs/batch is GET /jobs/{id} with an id that cannot be a job's.
        api.get("/jobs/batch").expectError(404, "job_not_found");
        api.method("HEAD", "/health").expect(405);
    }

    @Test
    void aFailedRequestLeavesTheConnectionUsable() {
        api.send(api.builder("/jobs").POST(HttpRequest.BodyPublishers.ofString("{")).header("Content-Type", "application/json"))
                .expectInvalidField("body");
        api.get("/health").expect(200);
    }
}
