package io.spindle.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
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
    void anUnknownMethodIsNotAllowed() {
        api.method("FOO", "/jobs").expectError(405, "method_not_allowed");
    }

    @Test
    void aRequestTooMalformedToRouteStillGetsTheJsonErrorShape() throws IOException {
        String uri = api.uri("/health").toString();
        int port = Integer.parseInt(uri.replaceAll("^http://[^:]+:(\\d+)/.*$", "$1"));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) GatewayTestNode.TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nthis is not a header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("HTTP/1.1 400"));
            String line;
            String contentType = "";
            while (!(line = in.readLine()).isEmpty()) {
                if (line.toLowerCase().startsWith("content-type:")) {
                    contentType = line.substring("content-type:".length()).trim();
                }
            }
            assertEquals("application/json", contentType);
            char[] body = new char[4096];
            int n = in.read(body);
            JsonNode error = io.spindle.model.json.Json.mapper().readTree(new String(body, 0, n)).get("error");
            assertEquals("invalid_request", error.get("code").asText());
        }
    }

    @Test
    void aFailedRequestLeavesTheConnectionUsable() {
        api.send(api.builder("/jobs").POST(HttpRequest.BodyPublishers.ofString("{")).header("Content-Type", "application/json"))
                .expectInvalidField("body");
        api.get("/health").expect(200);
    }
}
