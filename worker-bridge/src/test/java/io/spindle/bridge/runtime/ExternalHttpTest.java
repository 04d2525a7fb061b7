package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code external.http} against a stub endpoint: the body sent, the answer kept, each status classified. */
class ExternalHttpTest {
    private static final ObjectNode INPUT = ShimBridge.json("{\"prompt\": \"a cat\", \"n\": 2}");

    @TempDir
    Path dir;

    private OpenAiStub server;
    private ShimBridge bridge;

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiStub();
        bridge = new ShimBridge(dir, ExternalHttp.BACKEND);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        bridge.close();
    }

    private ObjectNode params(String extra) {
        return ShimBridge.json("{\"url\": \"" + server.baseUrl() + "/score\"" + extra + "}");
    }

    private WorkerMessage call(ObjectNode params) {
        return bridge.run("external.http", INPUT, ExternalHttp.BACKEND, null, params);
    }

    @Test
    void postsTheInputAndKeepsTheJsonAnswer() throws Exception {
        server.then(OpenAiStub.Answer.status(200, "{\"score\": 0.9}"));

        WorkerMessage answer = call(params(", \"headers\": {\"X-Team\": \"ml\"}"));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(0.9, result.outputs().get("body").get("score").asDouble());
        assertEquals(200, result.outputs().get("status").asInt());
        assertEquals(List.of(new ArtifactRef("response.json", "json", "application/json")), result.artifacts());
        assertEquals("{\"score\": 0.9}", Files.readString(bridge.scratch(result.jobId()).resolve("response.json"), StandardCharsets.UTF_8));
        OpenAiStub.Request request = server.requests.get(0);
        assertEquals("POST", request.method());
        assertEquals(INPUT, request.body());
        assertEquals(List.of("ml"), request.headers().get("X-team"));
    }

    @Test
    void aGetSendsNoBodyAndABinaryAnswerKeepsItsMediaType() {
        server.then(OpenAiStub.Answer.ok(new byte[] {1, 2, 3}, "image/png"));

        WorkerMessage answer = call(params(", \"method\": \"get\""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(List.of(new ArtifactRef("response.bin", "file", "image/png")), result.artifacts());
        assertNull(result.outputs().get("body"));
        assertEquals("GET", server.requests.get(0).method());
        assertNull(server.requests.get(0).body());
    }

    @Test
    void statusesAreClassified() {
        server.then(OpenAiStub.Answer.status(429, "{}")).then(OpenAiStub.Answer.status(502, "{}")).then(OpenAiStub.Answer.status(404, "{}"));

        WorkerMessage.Error limited = assertInstanceOf(WorkerMessage.Error.class, call(params("")));
        WorkerMessage.Error broken = assertInstanceOf(WorkerMessage.Error.class, call(params("")));
        assertTrue(limited.isTransient() && limited.code().equals(Failures.RATE_LIMITED), limited.toString());
        assertTrue(broken.isTransient() && broken.code().equals(Failures.UPSTREAM_ERROR), broken.toString());
        assertPermanent(call(params("")), Failures.UPSTREAM_REJECTED, "404");
    }

    @Test
    void aHungEndpointTimesOutTransiently() {
        server.then(OpenAiStub.Answer.hanging());
        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, call(params(", \"timeout_ms\": 300")));
        assertEquals(Failures.TIMEOUT, error.code());
        assertTrue(error.isTransient());
    }

    @Test
    void theUrlComesFromTheConfig() {
        assertPermanent(call(ShimBridge.json("{}")), Failures.INVALID_PARAMS, "params.url");
        assertPermanent(call(params(", \"method\": \"TRACE\"")), Failures.UNSUPPORTED_PARAMETER, "params.method");
        assertTrue(server.requests.isEmpty());
    }
}
