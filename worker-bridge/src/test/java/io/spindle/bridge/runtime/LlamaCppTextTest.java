package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code llamacpp} backend running llama.cpp for real on a tiny random-weight GGUF written by {@link TinyGguf}:
 * one worker for the whole class, so the model is loaded once as in production.
 */
class LlamaCppTextTest {
    private static final ObjectNode PARAMS = ShimBridge.json("{\"threads\": 1, \"n_ctx\": 256}");

    @TempDir
    static Path dir;

    private static ShimBridge bridge;
    private static String model;

    @BeforeAll
    static void start() throws Exception {
        model = TinyGguf.write(dir.resolve("tiny.gguf")).toString();
        bridge = new ShimBridge(dir, LlamaCppText.BACKEND);
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    private static WorkerMessage.Result generate(String input) {
        WorkerMessage answer = bridge.run(TextRequest.GENERATE, ShimBridge.json(input), LlamaCppText.BACKEND, model, PARAMS);
        return assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
    }

    @Test
    void theHelloListsTheTextJobs() {
        assertEquals(List.of("text.generate", "text.chat"), bridge.hello.jobTypes());
    }

    @Test
    void theSameSeedGeneratesTheSameTextAndTheTextIsAnArtifact() throws Exception {
        String input = "{\"prompt\": \"Once upon a time\", \"seed\": 42, \"max_tokens\": 24, \"temperature\": 1.0}";
        WorkerMessage.Result first = generate(input);
        WorkerMessage.Result second = generate(input);

        String text = first.outputs().get("text").asText();
        assertFalse(text.isEmpty());
        assertEquals(text, second.outputs().get("text").asText());
        assertEquals(List.of(new ArtifactRef(GeneratedText.FILE_NAME, "text", "text/plain")), first.artifacts());
        assertEquals(text, Files.readString(bridge.scratch(first.jobId()).resolve(GeneratedText.FILE_NAME), StandardCharsets.UTF_8));
        assertTrue(first.outputs().get("prompt_tokens").asInt() > 0);
        int tokens = first.outputs().get("completion_tokens").asInt();
        assertTrue(tokens > 0 && tokens <= 24, "completion_tokens " + tokens);
        assertEquals(LlamaCppText.BACKEND, first.outputs().get("backend").asText());
        assertFalse(bridge.progress(first.jobId()).isEmpty(), "reports progress");
    }

    @Test
    void differentSeedsGenerateDifferentText() {
        String a = generate("{\"prompt\": \"Once upon a time\", \"seed\": 1, \"max_tokens\": 24, \"temperature\": 1.5}").outputs().get("text").asText();
        String b = generate("{\"prompt\": \"Once upon a time\", \"seed\": 2, \"max_tokens\": 24, \"temperature\": 1.5}").outputs().get("text").asText();
        assertNotEquals(a, b);
    }

    @Test
    void maxTokensEndsTheTextEarly() {
        WorkerMessage.Result shortRun = generate("{\"prompt\": \"Hello\", \"seed\": 7, \"max_tokens\": 3}");
        WorkerMessage.Result longRun = generate("{\"prompt\": \"Hello\", \"seed\": 7, \"max_tokens\": 40}");

        String shortText = shortRun.outputs().get("text").asText();
        String longText = longRun.outputs().get("text").asText();
        assertTrue(shortRun.outputs().get("completion_tokens").asInt() <= 3);
        assertTrue(longText.length() > shortText.length(), shortText + " / " + longText);
        assertTrue(longText.startsWith(shortText.replace("\uFFFD", "")) || shortText.contains("\uFFFD"),
                "the same seed starts with the same tokens: " + shortText + " / " + longText);
    }

    @Test
    void aChatIsRunThroughTheChatTemplate() {
        WorkerMessage answer = bridge.run(TextRequest.CHAT, ShimBridge.json("""
                {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi!"}],
                 "seed": 3, "max_tokens": 8}"""), LlamaCppText.BACKEND, model, PARAMS);

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        // The tiny model has no template of its own, so llama.cpp applies ChatML: far more tokens than the two texts.
        assertTrue(result.outputs().get("prompt_tokens").asInt() > "Be brief.Hi!".length() + 20, result.outputs().toString());
        assertTrue(result.outputs().get("completion_tokens").asInt() <= 8);
    }

    @Test
    void aCancelStopsTheGeneration() {
        String jobId = bridge.start(TextRequest.GENERATE, ShimBridge.json("{\"prompt\": \"Go on\", \"max_tokens\": 32000}"),
                LlamaCppText.BACKEND, model, PARAMS);
        bridge.events.await(WorkerMessage.Progress.class, p -> p.jobId().equals(jobId) && p.percent() > 1, ShimBridge.WAIT);
        long started = System.nanoTime();

        bridge.cancel(jobId);

        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, bridge.answer(jobId));
        assertEquals(WorkerMessage.Error.CANCELED, error.code());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 5, "stopped promptly");
    }

    @Test
    void mistakesArePermanent() {
        assertPermanent(bridge.run(TextRequest.GENERATE, ShimBridge.json("{\"prompt\": \"x\"}"), LlamaCppText.BACKEND,
                dir.resolve("absent.gguf").toString(), PARAMS), Failures.INVALID_PARAMS, "model_ref");
        assertPermanent(bridge.run(TextRequest.GENERATE, ShimBridge.json("{}"), LlamaCppText.BACKEND, model, PARAMS),
                Failures.INVALID_INPUT, "input.prompt");
        assertPermanent(bridge.run(TextRequest.CHAT, ShimBridge.json("{\"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}"),
                LlamaCppText.BACKEND, model, PARAMS), Failures.INVALID_INPUT, "messages[0].role");
        assertPermanent(bridge.run(TextRequest.GENERATE, ShimBridge.json("{\"prompt\": \"x\", \"stop\": [1]}"),
                LlamaCppText.BACKEND, model, PARAMS), Failures.INVALID_INPUT, "input.stop");
    }
}
