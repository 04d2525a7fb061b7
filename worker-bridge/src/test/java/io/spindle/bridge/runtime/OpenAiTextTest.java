package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.util.List;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code openai} backend's streamed {@code text.chat} and {@code text.generate} against a stub server. */
class OpenAiTextTest {
    private static final ObjectNode CHAT = ShimBridge.json("""
            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Say hello."}],
             "max_tokens": 16, "seed": 5, "stop": ["\\n\\n"]}""");

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

    private WorkerMessage chat(ObjectNode params) {
        return bridge.run(TextRequest.CHAT, CHAT, OpenAiCompatible.BACKEND, "qwen2.5:0.5b", params);
    }

    @Test
    void aStreamedChatBecomesTheTextWithItsUsage() throws Exception {
        server.then(OpenAiStub.Answer.chatChunks(List.of("Hel", "lo", " there", "!"), "stop", 21));

        WorkerMessage answer = chat(params(""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals("Hello there!", result.outputs().get("text").asText());
        assertEquals("stop", result.outputs().get("finish_reason").asText());
        assertEquals(21, result.outputs().get("prompt_tokens").asInt());
        assertEquals(4, result.outputs().get("completion_tokens").asInt());
        assertEquals(List.of(new ArtifactRef(GeneratedText.FILE_NAME, "text", "text/plain")), result.artifacts());
        assertEquals("Hello there!", Files.readString(bridge.scratch(result.jobId()).resolve(GeneratedText.FILE_NAME)));
        assertEquals("Hello there!", bridge.progress(result.jobId()).get(bridge.progress(result.jobId()).size() - 1).message());

        OpenAiStub.Request request = server.requests.get(0);
        assertEquals("/v1/chat/completions", request.path());
        assertTrue(request.body().get("stream").asBoolean());
        assertEquals("qwen2.5:0.5b", request.body().get("model").asText());
        assertEquals("system", request.body().get("messages").get(0).get("role").asText());
        assertEquals("Say hello.", request.body().get("messages").get(1).get("content").asText());
        assertEquals(16, request.body().get("max_tokens").asInt());
        assertEquals(5, request.body().get("seed").asInt());
        assertEquals("\n\n", request.body().get("stop").get(0).asText());
    }

    @Test
    void generateStreamsTheRawCompletion() {
        server.then(OpenAiStub.Answer.streamed(List.of(
                "{\"choices\":[{\"index\":0,\"text\":\"upon\"}]}",
                "{\"choices\":[{\"index\":0,\"text\":\" a time\",\"finish_reason\":\"length\"}]}")));

        WorkerMessage answer = bridge.run(TextRequest.GENERATE, ShimBridge.json("{\"prompt\": \"Once\", \"max_tokens\": 2}"),
                OpenAiCompatible.BACKEND, "gpt-3.5-turbo-instruct", params(""));

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals("upon a time", result.outputs().get("text").asText());
        assertEquals("length", result.outputs().get("finish_reason").asText());
        assertEquals(2, result.outputs().get("completion_tokens").asInt(), "counted from the chunks without usage");
        assertEquals("/v1/completions", server.requests.get(0).path());
        assertEquals("Once", server.requests.get(0).body().get("prompt").asText());
    }

    @Test
    void rateLimitedIsTransientAndTheNextAttemptSucceeds() {
        server.then(OpenAiStub.Answer.status(429, "{\"error\": {\"message\": \"slow down\"}}"))
                .then(OpenAiStub.Answer.chatChunks(List.of("ok"), "stop", 3));

        WorkerMessage.Error first = assertInstanceOf(WorkerMessage.Error.class, chat(params("")));
        assertEquals(Failures.RATE_LIMITED, first.code());
        assertTrue(first.isTransient());
        assertTrue(first.message().contains("slow down"), first.message());

        WorkerMessage.Result second = assertInstanceOf(WorkerMessage.Result.class, chat(params("")));
        assertEquals("ok", second.outputs().get("text").asText());
    }

    @Test
    void aBadRequestIsPermanent() {
        server.then(OpenAiStub.Answer.status(400, "{\"error\": {\"message\": \"model not found\"}}"));
        assertPermanent(chat(params("")), Failures.UPSTREAM_REJECTED, "model not found");
    }

    @Test
    void aServerThatStopsSendingMidStreamTimesOut() {
        server.then(OpenAiStub.Answer.streamedThenHanging(List.of("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}")));
        long started = System.nanoTime();

        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, chat(params(", \"timeout_ms\": 800")));

        assertEquals(Failures.TIMEOUT, error.code());
        assertTrue(error.isTransient());
        assertTrue((System.nanoTime() - started) / 1_000_000 < ShimBridge.WAIT.toMillis() / 2, "answered at the timeout");
    }

    @Test
    void anErrorChunkMidStreamIsTransient() {
        server.then(OpenAiStub.Answer.streamed(List.of("{\"error\": {\"message\": \"out of memory\"}}")));
        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, chat(params("")));
        assertEquals(Failures.UPSTREAM_ERROR, error.code());
        assertTrue(error.isTransient());
    }

    @Test
    void inputMistakesArePermanentAndCallNothing() {
        assertPermanent(bridge.run(TextRequest.CHAT, ShimBridge.json("{\"messages\": []}"), OpenAiCompatible.BACKEND, "m", params("")),
                Failures.INVALID_INPUT, "input.messages");
        assertPermanent(bridge.run(TextRequest.CHAT, ShimBridge.json("{\"messages\": [{\"role\": \"user\"}]}"),
                OpenAiCompatible.BACKEND, "m", params("")), Failures.INVALID_INPUT, "messages[0].content");
        assertPermanent(bridge.run(TextRequest.GENERATE, ShimBridge.json("{\"prompt\": \"x\", \"temperature\": 5}"),
                OpenAiCompatible.BACKEND, "m", params("")), Failures.INVALID_INPUT, "input.temperature");
        assertFalse(server.requests.iterator().hasNext(), "no call was made");
    }
}
