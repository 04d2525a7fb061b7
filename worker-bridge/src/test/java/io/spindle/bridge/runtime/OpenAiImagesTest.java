package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code openai} backend's {@code image.generate} against an OpenAI-compatible stub server. */
class OpenAiImagesTest {
    private static final ObjectNode FOX = ShimBridge.json("{\"prompt\": \"a red fox\"}");

    @TempDir
    Path dir;

    private OpenAiStub server;
    private ShimBridge bridge;

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiStub();
        bridge = new ShimBridge(dir, OpenAiCompatible.BACKEND);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        bridge.close();
    }

    private ObjectNode params(String extra) {
        return ShimBridge.json("{\"base_url\": \"" + server.baseUrl() + "\"" + extra + "}");
    }

    private WorkerMessage generate(ObjectNode input, String model, ObjectNode params) {
        return bridge.run("image.generate", input, OpenAiCompatible.BACKEND, model, params);
    }

    @Test
    void theBase64ImageBecomesAPngArtifact() throws Exception {
        byte[] png = OpenAiStub.png(64, 32);
        server.then(OpenAiStub.Answer.ok(OpenAiStub.imagesAnswer(png), "application/json"));

        WorkerMessage answer = generate(ShimBridge.json("{\"prompt\": \"a red fox\", \"size\": \"1792x1024\", \"quality\": \"hd\"}"),
                "dall-e-3", params(""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(List.of(new ArtifactRef("image.png", "image", "image/png")), result.artifacts());
        assertArrayEquals(png, Files.readAllBytes(bridge.scratch(result.jobId()).resolve("image.png")));
        assertEquals("a fox, revised", result.outputs().get("revised_prompt").asText());
        assertEquals(png.length, result.outputs().get("bytes").asLong());
        OpenAiStub.Request request = server.requests.get(0);
        assertEquals("/v1/images/generations", request.path());
        assertEquals("dall-e-3", request.body().get("model").asText());
        assertEquals("a red fox", request.body().get("prompt").asText());
        assertEquals("1792x1024", request.body().get("size").asText());
        assertEquals(1, request.body().get("n").asInt());
        assertEquals("hd", request.body().get("quality").asText());
        assertEquals("b64_json", request.body().get("response_format").asText());
        assertFalse(bridge.progress(result.jobId()).isEmpty(), "reports progress");
    }

    @Test
    void severalImagesAreNumberedAndGptImageIsNotAskedForAResponseFormat() {
        server.then(OpenAiStub.Answer.ok(OpenAiStub.imagesAnswer(OpenAiStub.png(8, 8), OpenAiStub.png(9, 9)), "application/json"));

        WorkerMessage answer = generate(ShimBridge.json("{\"prompt\": \"a red fox\", \"n\": 2}"), "gpt-image-1", params(""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(List.of(new ArtifactRef("image-1.png", "image", "image/png"), new ArtifactRef("image-2.png", "image", "image/png")),
                result.artifacts());
        assertEquals("[\"image-1.png\",\"image-2.png\"]", result.outputs().get("artifacts").toString());
        assertFalse(server.requests.get(0).body().has("response_format"));
    }

    @Test
    void rateLimitedIsTransientAndTheNextAttemptSucceeds() {
        server.then(OpenAiStub.Answer.status(429, "{\"error\": {\"message\": \"slow down\"}}"))
                .then(OpenAiStub.Answer.ok(OpenAiStub.imagesAnswer(OpenAiStub.png(8, 8)), "application/json"));

        WorkerMessage.Error first = assertInstanceOf(WorkerMessage.Error.class, generate(FOX, "dall-e-3", params("")));
        assertEquals(Failures.RATE_LIMITED, first.code());
        assertTrue(first.isTransient());

        assertInstanceOf(WorkerMessage.Result.class, generate(FOX, "dall-e-3", params("")));
    }

    @Test
    void aBadRequestIsPermanent() {
        server.then(OpenAiStub.Answer.status(400, "{\"error\": {\"message\": \"your prompt was rejected\"}}"));
        assertPermanent(generate(FOX, "dall-e-3", params("")), Failures.UPSTREAM_REJECTED, "your prompt was rejected");
    }

    @Test
    void aHungServerTimesOutTransientlyAtTheDeadline() {
        server.then(OpenAiStub.Answer.hanging());
        long started = System.nanoTime();

        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, generate(FOX, "dall-e-3", params(", \"timeout_ms\": 500")));

        assertEquals(Failures.TIMEOUT, error.code());
        assertTrue(error.isTransient());
        assertTrue((System.nanoTime() - started) / 1_000_000 < ShimBridge.WAIT.toMillis() / 2, "answered at the timeout");
    }

    @Test
    void anAnswerWithoutAnImageIsNotWritten() {
        server.then(OpenAiStub.Answer.ok("{\"data\": [{\"url\": \"http://elsewhere/fox.png\"}]}".getBytes(), "application/json"));
        assertPermanent(generate(FOX, "dall-e-3", params("")), Failures.UPSTREAM_REJECTED, "b64_json");
    }

    @Test
    void badSettingsArePermanentAndCallNothing() {
        assertPermanent(generate(FOX, null, params("")), Failures.INVALID_PARAMS, "model_ref");
        assertPermanent(generate(ShimBridge.json("{}"), "dall-e-3", params("")), Failures.INVALID_INPUT, "input.prompt");
        assertPermanent(generate(ShimBridge.json("{\"prompt\": \"p\", \"n\": 9}"), "dall-e-3", params("")), Failures.INVALID_INPUT, "input.n");
        assertPermanent(generate(ShimBridge.json("{\"prompt\": \"p\", \"size\": \"huge\"}"), "dall-e-3", params("")),
                Failures.UNSUPPORTED_PARAMETER, "size");
        assertPermanent(generate(ShimBridge.json("{\"prompt\": \"p\", \"size\": \"99999x1\"}"), "dall-e-3", params("")),
                Failures.UNSUPPORTED_PARAMETER, "size");
        assertPermanent(generate(FOX, "dall-e-3", params(", \"quality\": \"ultra\"")), Failures.UNSUPPORTED_PARAMETER, "quality");
        assertTrue(server.requests.isEmpty(), "no call was made");
    }
}
