package io.spindle.bridge.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.sdk.JobRun;
import io.spindle.bridge.sdk.WorkerContext;
import io.spindle.bridge.sdk.WorkerFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sentence embeddings with all-MiniLM-L6-v2 (quantized, 384 dimensions, shipped inside the jar and run on
 * onnxruntime in the worker process): {@code text.embed} writes the vectors of {@code text} or {@code texts} as a
 * JSON artifact; {@code eval.text_similarity} scores the cosine similarity of {@code a} and {@code b} (strings, or
 * text artifacts of earlier jobs). The model is loaded by the first run and kept for the process's life.
 */
public final class MiniLmEmbeddings implements RuntimeShim {
    public static final String BACKEND = "minilm";
    public static final String EMBED = "text.embed";
    public static final String SIMILARITY = "eval.text_similarity";
    public static final String MODEL = "all-minilm-l6-v2-q";
    public static final String FILE_NAME = "embeddings.json";
    public static final String KIND = "embeddings";
    public static final String MIME = "application/json";
    public static final String METRIC = "cosine_similarity";
    /** The model (23 MB) and onnxruntime's buffers are read onto the heap: more than a plain shim's. */
    static final int HEAP_MB = 384;
    static final int MAX_TEXTS = 256;
    static final int MAX_TEXT_CHARS = 20_000;
    /** A text artifact read for a similarity is at most this many bytes (UTF-8). */
    static final int MAX_ARTIFACT_BYTES = 1 << 20;
    private static final double PERCENT_LOADING = 5;
    private static final double PERCENT_EMBEDDED = 90;
    private static final double PERCENT_DONE = 100;

    private EmbeddingModel model;

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public List<String> jobTypes() {
        return List.of(EMBED, SIMILARITY);
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty(); // the model and onnxruntime's native libraries come with the jar
    }

    @Override
    public int maxHeapMb() {
        return HEAP_MB;
    }

    @Override
    public ObjectNode run(JobRun job, WorkerContext ctx) throws WorkerFailure {
        if (job.modelRef() != null && !job.modelRef().isBlank() && !job.modelRef().equals(MODEL)) {
            throw Failures.unsupported("model_ref", "backend " + BACKEND + " runs " + MODEL + " only, not " + job.modelRef());
        }
        return job.type().equals(SIMILARITY) ? similarity(job, ctx) : embed(job, ctx);
    }

    private ObjectNode embed(JobRun job, WorkerContext ctx) throws WorkerFailure {
        List<String> texts = texts(job);
        List<float[]> vectors = vectors(texts, ctx);
        ObjectNode file = FrameCodec.mapper().createObjectNode();
        int dims = vectors.get(0).length;
        file.put("model", MODEL).put("dims", dims);
        ArrayNode all = file.putArray("vectors");
        for (float[] vector : vectors) {
            ArrayNode values = all.addArray();
            for (float v : vector) {
                values.add(v);
            }
        }
        Path path = job.scratchDir().resolve(FILE_NAME);
        try {
            Files.write(path, FrameCodec.mapper().writeValueAsBytes(file));
        } catch (IOException e) {
            throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot write " + path + ": " + e.getMessage());
        }
        ctx.artifact(FILE_NAME, KIND, MIME);
        ctx.progress(PERCENT_DONE, "embedded " + texts.size() + " texts");
        ObjectNode outputs = FrameCodec.mapper().createObjectNode();
        return outputs.put("backend", BACKEND).put("model", MODEL).put("dims", dims).put("count", vectors.size()).put("artifact", FILE_NAME);
    }

    private ObjectNode similarity(JobRun job, WorkerContext ctx) throws WorkerFailure {
        String a = text(job, "a");
        String b = text(job, "b");
        List<float[]> vectors = vectors(List.of(a, b), ctx);
        ObjectNode details = FrameCodec.mapper().createObjectNode();
        details.put("model", MODEL).put("dims", vectors.get(0).length).put("a_chars", a.length()).put("b_chars", b.length());
        ObjectNode outputs = ScoreArtifact.deliver(METRIC, cosine(vectors.get(0), vectors.get(1)), details, job, ctx);
        ctx.progress(PERCENT_DONE, "scored");
        return outputs;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            normA += a[i] * a[i];
            normB += b[i] * b[i];
        }
        return dot / Math.sqrt(normA * normB);
    }

    private List<float[]> vectors(List<String> texts, WorkerContext ctx) throws WorkerFailure {
        ctx.progress(PERCENT_LOADING, "embedding " + texts.size() + " texts with " + MODEL);
        List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
        List<Embedding> embeddings;
        try {
            embeddings = model().embedAll(segments).content();
        } catch (RuntimeException e) {
            throw WorkerFailure.transientFailure(Failures.RUNTIME_CRASHED, "onnxruntime failed: " + e);
        }
        ctx.checkCancelled();
        ctx.progress(PERCENT_EMBEDDED, "embedded");
        return embeddings.stream().map(Embedding::vector).toList();
    }

    private synchronized EmbeddingModel model() {
        if (model == null) {
            model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        }
        return model;
    }

    /** {@code text} (one string) or {@code texts} (a list of strings). */
    private static List<String> texts(JobRun job) throws WorkerFailure {
        JsonNode many = job.input().get("texts");
        if (many == null || many.isNull()) {
            return List.of(new RunFields(job).requiredText("text", MAX_TEXT_CHARS));
        }
        if (job.input().hasNonNull("text")) {
            throw Failures.invalidInput("text", "give text or texts, not both");
        }
        if (!many.isArray() || many.isEmpty() || many.size() > MAX_TEXTS) {
            throw Failures.invalidInput("texts", "must be a list of 1 to " + MAX_TEXTS + " strings");
        }
        List<String> texts = new ArrayList<>(many.size());
        for (int i = 0; i < many.size(); i++) {
            JsonNode t = many.get(i);
            if (!t.isTextual() || t.asText().isBlank() || t.asText().length() > MAX_TEXT_CHARS) {
                throw Failures.invalidInput("texts[" + i + "]", "must be a non-empty string of at most " + MAX_TEXT_CHARS + " characters");
            }
            texts.add(t.asText());
        }
        return texts;
    }

    /** A string, or a text artifact of an earlier job ({@link InputArtifact}), read as UTF-8. */
    private static String text(JobRun job, String field) throws WorkerFailure {
        JsonNode value = job.input().get(field);
        if (value != null && value.isObject()) {
            InputArtifact artifact = new RunFields(job).inputFile(field);
            try {
                if (Files.size(artifact.path()) > MAX_ARTIFACT_BYTES) {
                    throw Failures.invalidInput(field, "artifact " + artifact.artifactId() + " is over " + MAX_ARTIFACT_BYTES + " bytes");
                }
                String text = Files.readString(artifact.path(), StandardCharsets.UTF_8);
                if (text.isBlank()) {
                    throw Failures.invalidInput(field, "artifact " + artifact.artifactId() + " holds no text");
                }
                return text;
            } catch (java.nio.charset.MalformedInputException e) {
                throw Failures.invalidInput(field, "artifact " + artifact.artifactId() + " is not UTF-8 text");
            } catch (IOException e) {
                throw WorkerFailure.transientFailure(Failures.IO_ERROR, "cannot read " + artifact.path() + ": " + e.getMessage());
            }
        }
        return new RunFields(job).requiredText(field, MAX_TEXT_CHARS);
    }
}
