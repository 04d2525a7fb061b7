package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code openai} backend's {@code audio.tts} against an OpenAI-compatible stub server. */
class OpenAiCompatibleTest {
    private static final ObjectNode HELLO = ShimBridge.json("{\"text\": \"Hello world.\"}");

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
        return ShimBridge.json("{\"base_url\": \"" + server.baseUrl() + "/v1\"" + extra + "}");
    }

    private WorkerMessage speak(ObjectNode input, ObjectNode params) {
        return bridge.run("audio.tts", input, OpenAiCompatible.BACKEND, "tts-1-hd", params);
    }

    @Test
    void theSpeechBecomesAWavArtifact() throws Exception {
        byte[] wav = OpenAiStub.wav(1_500);
        server.then(OpenAiStub.Answer.ok(wav, "audio/wav"));

        WorkerMessage answer = speak(ShimBridge.json("{\"text\": \"Hello world.\", \"format\": \"wav\", \"voice\": \"nova\"}"), params(""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(List.of(new ArtifactRef("speech.wav", "audio", "audio/wav")), result.artifacts());
        assertArrayEquals(wav, Files.readAllBytes(bridge.scratch(result.jobId()).resolve("speech.wav")));
        assertEquals(1_500, result.outputs().get("duration_ms").asLong());
        OpenAiStub.Request request = server.requests.get(0);
        assertEquals("/v1/audio/speech", request.path());
        assertEquals("tts-1-hd", request.body().get("model").asText());
        assertEquals("Hello world.", request.body().get("input").asText());
        assertEquals("nova", request.body().get("voice").asText());
        assertEquals("wav", request.body().get("response_format").asText());
        assertFalse(bridge.progress(result.jobId()).isEmpty(), "reports progress");
    }

    @Test
    void mp3IsTheFormatAskedForInTheParams() throws Exception {
        server.then(OpenAiStub.Answer.ok(new byte[] {'I', 'D', '3', 4}, "audio/mpeg"));

        WorkerMessage answer = speak(HELLO, params(", \"format\": \"mp3\""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(List.of(new ArtifactRef("speech.mp3", "audio", "audio/mpeg")), result.artifacts());
        assertEquals("mp3", server.requests.get(0).body().get("response_format").asText());
    }

    @Test
    void rateLimitedIsTransientAndTheNextAttemptSucceeds() {
        server.then(OpenAiStub.Answer.status(429, "{\"error\": {\"message\": \"slow down\"}}"))
                .then(OpenAiStub.Answer.ok(OpenAiStub.wav(500), "audio/wav"));

        WorkerMessage.Error first = assertInstanceOf(WorkerMessage.Error.class, speak(HELLO, params("")));
        assertEquals(Failures.RATE_LIMITED, first.code());
        assertTrue(first.isTransient());
        assertTrue(first.message().contains("slow down"), first.message());

        assertInstanceOf(WorkerMessage.Result.class, speak(HELLO, params("")));
    }

    @Test
    void aServerErrorIsTransient() {
        server.then(OpenAiStub.Answer.status(503, "{}"));
        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, speak(HELLO, params("")));
        assertEquals(Failures.UPSTREAM_ERROR, error.code());
        assertTrue(error.isTransient());
    }

    @Test
    void aBadRequestIsPermanent() {
        server.then(OpenAiStub.Answer.status(400, "{\"error\": {\"message\": \"unknown voice\"}}"));
        assertPermanent(speak(HELLO, params("")), Failures.UPSTREAM_REJECTED, "unknown voice");
    }

    @Test
    void aHungServerTimesOutTransiently() {
        server.then(OpenAiStub.Answer.hanging());
        long started = System.nanoTime();

        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, speak(HELLO, params(", \"timeout_ms\": 500")));

        assertEquals(Failures.TIMEOUT, error.code());
        assertTrue(error.isTransient());
        assertTrue((System.nanoTime() - started) / 1_000_000 < ShimBridge.WAIT.toMillis() / 2, "answered at the timeout");
    }

    @Test
    void anUnreachableServerIsTransient() {
        ObjectNode params = FrameCodec.mapper().createObjectNode().put("base_url", "http://127.0.0.1:1");
        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, speak(HELLO, params));
        assertEquals(Failures.RUNTIME_UNREACHABLE, error.code());
        assertTrue(error.isTransient());
    }

    @Test
    void configMistakesArePermanentAndCallNothing() {
        assertPermanent(bridge.run("audio.tts", HELLO, OpenAiCompatible.BACKEND, null, params("")), Failures.INVALID_PARAMS, "model_ref");
        assertPermanent(speak(HELLO, params(", \"api_key_env\": \"SPINDLE_TEST_UNSET_KEY\"")), Failures.MISSING_CREDENTIALS,
                "SPINDLE_TEST_UNSET_KEY");
        assertPermanent(speak(ShimBridge.json("{}"), params("")), Failures.INVALID_INPUT, "input.text");
        assertPermanent(speak(ShimBridge.json("{\"text\": \"hi\", \"speed\": 9}"), params("")), Failures.INVALID_INPUT, "input.speed");
        assertPermanent(speak(HELLO, ShimBridge.json("{\"base_url\": \"ftp://x\"}")), Failures.INVALID_PARAMS, "params.base_url");
        assertTrue(server.requests.isEmpty(), "no call was made");
    }
}
