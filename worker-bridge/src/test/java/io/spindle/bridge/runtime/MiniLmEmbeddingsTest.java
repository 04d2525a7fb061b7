package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code minilm} backend: real all-MiniLM-L6-v2 embeddings on onnxruntime, one worker (one model load) for the class. */
class MiniLmEmbeddingsTest {
    private static final ObjectNode NO_PARAMS = FrameCodec.mapper().createObjectNode();

    @TempDir
    static Path dir;

    private static ShimBridge bridge;

    @BeforeAll
    static void start() throws Exception {
        bridge = new ShimBridge(dir, MiniLmEmbeddings.BACKEND);
    }

    @AfterAll
    static void stop() throws Exception {
        bridge.close();
    }

    private static WorkerMessage run(String type, String input) {
        return bridge.run(type, ShimBridge.json(input), MiniLmEmbeddings.BACKEND, null, NO_PARAMS);
    }

    private static float[] vector(JsonNode values) {
        float[] vector = new float[values.size()];
        for (int i = 0; i < vector.length; i++) {
            vector[i] = (float) values.get(i).asDouble();
        }
        return vector;
    }

    @Test
    void aCatIsCloserToAKittenThanToTheStockMarket() throws Exception {
        WorkerMessage answer = run(MiniLmEmbeddings.EMBED, "{\"texts\": [\"cat\", \"kitten\", \"stock market\"]}");

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(384, result.outputs().get("dims").asInt());
        assertEquals(3, result.outputs().get("count").asInt());
        assertEquals(List.of(new ArtifactRef("embeddings.json", "embeddings", "application/json")), result.artifacts());
        JsonNode file = FrameCodec.mapper().readTree(Files.readAllBytes(bridge.scratch(result.jobId()).resolve("embeddings.json")));
        JsonNode vectors = file.get("vectors");
        assertEquals(384, vectors.get(0).size());
        double kitten = MiniLmEmbeddings.cosine(vector(vectors.get(0)), vector(vectors.get(1)));
        double stocks = MiniLmEmbeddings.cosine(vector(vectors.get(0)), vector(vectors.get(2)));
        assertTrue(kitten > stocks + 0.1, "cat~kitten " + kitten + ", cat~stock market " + stocks);
    }

    @Test
    void similarityIsAScore() {
        WorkerMessage.Result close = assertInstanceOf(WorkerMessage.Result.class,
                run(MiniLmEmbeddings.SIMILARITY, "{\"a\": \"cat\", \"b\": \"kitten\"}"));
        WorkerMessage.Result far = assertInstanceOf(WorkerMessage.Result.class,
                run(MiniLmEmbeddings.SIMILARITY, "{\"a\": \"cat\", \"b\": \"stock market\"}"));

        assertEquals("cosine_similarity", close.outputs().get("metric").asText());
        assertEquals(List.of(new ArtifactRef(ScoreArtifact.FILE_NAME, ScoreArtifact.KIND, ScoreArtifact.MIME)), close.artifacts());
        assertTrue(close.outputs().get("value").asDouble() > far.outputs().get("value").asDouble());
        assertEquals(384, close.outputs().get("details").get("dims").asInt());
    }

    @Test
    void similarityReadsTextArtifacts() throws Exception {
        Path a = Files.writeString(dir.resolve("a.txt"), "The quick brown fox jumps over the lazy dog.");
        Path b = Files.writeString(dir.resolve("b.txt"), "The quick brown fox jumps over the lazy dog.");
        String input = "{\"a\": {\"artifact_id\": \"art_a\", \"path\": \"" + a + "\", \"mime\": \"text/plain\"},"
                + " \"b\": {\"artifact_id\": \"art_b\", \"path\": \"" + b + "\", \"mime\": \"text/plain\"}}";

        WorkerMessage answer = run(MiniLmEmbeddings.SIMILARITY, input);

        WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
        assertEquals(1.0, result.outputs().get("value").asDouble(), 1e-4);
    }

    @Test
    void mistakesArePermanent() {
        assertPermanent(run(MiniLmEmbeddings.EMBED, "{}"), Failures.INVALID_INPUT, "input.text");
        assertPermanent(run(MiniLmEmbeddings.EMBED, "{\"texts\": [\"a\", 3]}"), Failures.INVALID_INPUT, "texts[1]");
        assertPermanent(run(MiniLmEmbeddings.SIMILARITY, "{\"a\": \"x\"}"), Failures.INVALID_INPUT, "input.b");
        assertPermanent(bridge.run(MiniLmEmbeddings.EMBED, ShimBridge.json("{\"text\": \"x\"}"), MiniLmEmbeddings.BACKEND, "bge-large",
                NO_PARAMS), Failures.UNSUPPORTED_PARAMETER, "model_ref");
    }
}
