package io.spindle.gateway.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The browser tests' side door: the node's API over plain HTTP, to submit jobs and check what the page shows. */
final class DashboardApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration POLL = Duration.ofMillis(100);

    private final String baseUrl;

    DashboardApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Submits a job and answers its id. */
    String submit(String configId, String type, String input, int maxAttempts) throws Exception {
        return submitBody("{\"type\": \"" + type + "\", \"config_id\": \"" + configId + "\", \"input\": " + input
                + ", \"max_attempts\": " + maxAttempts + "}");
    }

    /** Submits a job given as the whole request body and answers its id. */
    String submitBody(String body) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/jobs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).get("id").asText();
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** Sends {@code body} with {@code method}, checks the status and answers the JSON. */
    JsonNode send(String method, String path, String body, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    void post(String path) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    void patch(String path, String body) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }

    HttpResponse<String> raw(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits until the job has {@code status}; fails naming the job's last status and error after {@code timeout}. */
    JsonNode awaitStatus(String id, String status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode seen = null;
        while (System.nanoTime() < deadline) {
            seen = get("/jobs/" + id);
            if (seen.get("status").asText().equals(status)) {
                return seen;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new AssertionError("job " + id + " not " + status + " within " + timeout + ": " + seen);
    }
}
