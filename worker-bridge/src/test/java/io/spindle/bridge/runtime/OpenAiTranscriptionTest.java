package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code openai} backend's {@code audio.transcribe} against an OpenAI-compatible stub server. */
class OpenAiTranscriptionTest {
    private static final String TRANSCRIBE = "audio.transcribe";

    @TempDir
    Path dir;

    private OpenAiStub server;
    private ShimBridge bridge;
    private byte[] wav;
    private ObjectNode input;

    @BeforeEach
    void start() throws Exception {
        server = new OpenAiStub();
        bridge = new ShimBridge(dir, OpenAiCompatible.BACKEND);
        wav = OpenAiStub.wav(1_200);
        Path file = Files.write(dir.resolve("speech.wav"), wav);
        input = FrameCodec.mapper().createObjectNode();
        input.set("audio", PocketsphinxAsrTest.artifact(file, "audio/wav"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        bridge.close();
    }

    private ObjectNode params(String extra) {
        return ShimBridge.json("{\"base_url\": \"" + server.baseUrl() + "\"" + extra + "}");
    }

    private WorkerMessage transcribe(ObjectNode in, ObjectNode params) {
        return bridge.run(TRANSCRIBE, in, OpenAiCompatible.BACKEND, "whisper-1", params);
    }

    private static OpenAiStub.Answer text(String json) {
        return OpenAiStub.Answer.ok(json.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    @Test
    void theAudioIsUploadedAndTheTextBecomesATranscriptArtifact() throws Exception {
        assertTrue(bridge.hello.jobTypes().contains(TRANSCRIBE), bridge.hello.jobTypes()::toString);
        server.then(text("{\"text\": \"Hello world.\", \"duration\": 1.2, \"language\": \"english\"}"));

        WorkerMessage answer = transcribe(input.deepCopy().put("language", "en").put("prompt", "Spindle"), params(""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(List.of(new ArtifactRef("transcript.txt", "text", "text/plain")), result.artifacts());
        assertEquals("Hello world.", result.outputs().get("text").asText());
        assertEquals("Hello world.", Files.readString(bridge.scratch(result.jobId()).resolve("transcript.txt")));
        assertEquals(1_200, result.outputs().get("duration_ms").asLong());
        assertEquals("whisper-1", result.outputs().get("model").asText());

        OpenAiStub.Request request = server.requests.get(0);
        assertEquals("/v1/audio/transcriptions", request.path());
        assertTrue(request.contentType().startsWith("multipart/form-data; boundary="), request.contentType());
        Map<String, OpenAiStub.Part> form = request.form();
        assertEquals("whisper-1", form.get("model").text());
        assertEquals("en", form.get("language").text());
        assertEquals("Spindle", form.get("prompt").text());
        assertEquals("json", form.get("response_format").text());
        OpenAiStub.Part file = form.get("file");
        assertEquals("speech.wav", file.fileName());
        assertEquals("audio/wav", file.contentType());
        assertArrayEquals(wav, file.content());
        assertFalse(bridge.progress(result.jobId()).isEmpty(), "reports progress");
    }

    @Test
    void aKeyNamedByTheParamsIsSentAsBearer() {
        String variable = "PATH"; // any variable every environment has stands in for a key
        server.then(text("{\"text\": \"hi\"}"));

        assertInstanceOf(WorkerMessage.Result.class, transcribe(input, params(", \"api_key_env\": \"" + variable + "\"")));

        assertEquals(List.of("Bearer " + System.getenv(variable)), server.requests.get(0).headers().get("Authorization"));
        assertNull(server.requests.get(0).form().get("language"), "no language unless asked");
    }

    @Test
    void rateLimitedIsTransientAndTheNextAttemptSucceeds() {
        server.then(OpenAiStub.Answer.status(429, "{\"error\": {\"message\": \"slow down\"}}")).then(text("{\"text\": \"hi\"}"));

        WorkerMessage.Error first = assertInstanceOf(WorkerMessage.Error.class, transcribe(input, params("")));
        assertEquals(Failures.RATE_LIMITED, first.code());
        assertTrue(first.isTransient());
        assertTrue(first.message().contains("slow down"), first.message());

        WorkerMessage.Result second = assertInstanceOf(WorkerMessage.Result.class, transcribe(input, params("")));
        assertEquals("hi", second.outputs().get("text").asText());
        assertEquals(2, server.requests.size());
    }

    @Test
    void aBadRequestIsPermanent() {
        server.then(OpenAiStub.Answer.status(400, "{\"error\": {\"message\": \"Invalid file format.\"}}"));
        assertPermanent(transcribe(input, params("")), Failures.UPSTREAM_REJECTED, "Invalid file format.");
    }

    @Test
    void anAnswerWithoutTextIsATransientUpstreamError() {
        server.then(text("{\"segments\": []}"));
        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, transcribe(input, params("")));
        assertEquals(Failures.UPSTREAM_ERROR, error.code());
        assertTrue(error.isTransient());
    }

    @Test
    void aHungServerTimesOutTransientlyAtTheDeadline() {
        server.then(OpenAiStub.Answer.hanging());
        long started = System.nanoTime();

        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, transcribe(input, params(", \"timeout_ms\": 500")));

        assertEquals(Failures.TIMEOUT, error.code());
        assertTrue(error.isTransient());
        assertTrue((System.nanoTime() - started) / 1_000_000 < ShimBridge.WAIT.toMillis() / 2, "answered at the timeout");
    }

    @Test
    void inputAndConfigMistakesArePermanentAndCallNothing() {
        assertPermanent(bridge.run(TRANSCRIBE, input, OpenAiCompatible.BACKEND, null, params("")), Failures.INVALID_PARAMS, "model_ref");
        assertPermanent(transcribe(ShimBridge.json("{}"), params("")), Failures.INVALID_INPUT, "input.audio");
        assertPermanent(transcribe(ShimBridge.json("{\"audio\": {\"url\": \"x\"}}"), params("")), Failures.INVALID_INPUT, "input.audio");
        assertPermanent(transcribe(input.deepCopy().put("temperature", 3), params("")), Failures.INVALID_INPUT, "input.temperature");
        assertPermanent(transcribe(input, params(", \"api_key_env\": \"SPINDLE_TEST_UNSET_KEY\"")), Failures.MISSING_CREDENTIALS,
                "SPINDLE_TEST_UNSET_KEY");
        assertTrue(server.requests.isEmpty(), "no call was made");
    }
}
