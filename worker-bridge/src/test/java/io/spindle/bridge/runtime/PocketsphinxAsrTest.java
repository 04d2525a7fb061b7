package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code audio.transcribe} and {@code eval.wer} on the real pocketsphinx, hearing speech that flite spoke. */
class PocketsphinxAsrTest {
    /**
     * A sentence flite's slt voice speaks clearly enough for pocketsphinx's general English model, in WAV and in MP3
     * (tried: "the quick brown fox jumps over the lazy dog" becomes "… over the lady gaga" once encoded as MP3).
     */
    static final String SENTENCE = "the weather today is sunny and warm";
    static final List<String> KEY_WORDS = List.of("weather", "today", "sunny", "warm");
    /** Recognition is not exact: up to two of the seven words may be wrong. */
    static final double MAX_WER = 0.3;
    private static final String BACKEND = PocketsphinxAsr.BACKEND;

    @TempDir
    Path dir;

    /** {@code text} spoken by flite, in {@code extension} (wav as flite writes it, else encoded by ffmpeg). */
    static Path speech(Path dir, String text, String extension) throws Exception {
        assumeTrue(Subprocess.onPath("flite"), "skipped: flite is not on the PATH (apt-get install flite)");
        Path wav = dir.resolve("spoken.wav");
        Files.writeString(dir.resolve("spoken.txt"), text);
        run(List.of("flite", "-voice", "slt", "-f", dir.resolve("spoken.txt").toString(), "-o", wav.toString()));
        if (extension.equals("wav")) {
            return wav;
        }
        Path encoded = dir.resolve("spoken." + extension);
        run(List.of("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", wav.toString(), encoded.toString()));
        return encoded;
    }

    static void run(List<String> argv) throws Exception {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0, String.join(" ", argv) + " failed");
    }

    /** The input object a node makes of {@code {"artifact_id": …}} once it has fetched the file. */
    static ObjectNode artifact(Path file, String mime) throws Exception {
        return FrameCodec.mapper().createObjectNode().put("artifact_id", "art_" + file.getFileName())
                .put("path", file.toAbsolutePath().toString()).put("mime", mime).put("bytes", Files.size(file));
    }

    private static ObjectNode input(String field, JsonNode value) {
        ObjectNode input = FrameCodec.mapper().createObjectNode();
        input.set(field, value);
        return input;
    }

    @ParameterizedTest
    @ValueSource(strings = {"wav", "mp3"})
    void transcribesFliteSpeechWithItsKeyWords(String extension) throws Exception {
        LocalTtsTest.assumeEngine(BACKEND);
        Path audio = speech(dir, SENTENCE, extension);
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            assertEquals(List.of("audio.transcribe", "eval.wer"), bridge.hello.jobTypes());

            WorkerMessage answer = bridge.run("audio.transcribe", input("audio", artifact(audio, "audio/" + extension)), BACKEND, "en-us", null);

            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
            assertEquals(List.of(new ArtifactRef("transcript.txt", "text", "text/plain")), result.artifacts());
            String text = result.outputs().get("text").asText();
            assertEquals(text, Files.readString(bridge.scratch(result.jobId()).resolve("transcript.txt"), StandardCharsets.UTF_8));
            KEY_WORDS.forEach(word -> assertTrue(WordErrorRate.words(text).contains(word), "'" + word + "' in '" + text + "'"));
            assertTrue(WordErrorRate.of(SENTENCE, text).value() <= MAX_WER, "heard '" + text + "'");
            long durationMs = result.outputs().get("duration_ms").asLong();
            assertTrue(durationMs > 1_500 && durationMs < 6_000, "lasted " + durationMs + " ms");
            assertEquals("en-us", result.outputs().get("language").asText());
            assertFalse(bridge.progress(result.jobId()).isEmpty(), "reports progress");
        }
    }

    @Test
    void werOfSpeechTranscribesItFirst() throws Exception {
        LocalTtsTest.assumeEngine(BACKEND);
        Path audio = speech(dir, SENTENCE, "wav");
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            ObjectNode in = input("audio", artifact(audio, "audio/wav")).put("reference", "The weather, today, is sunny and warm.");

            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, bridge.run("eval.wer", in, BACKEND, null, null));

            assertEquals(List.of(new ArtifactRef("score.json", "score", "application/json")), result.artifacts());
            JsonNode score = FrameCodec.mapper().readTree(bridge.scratch(result.jobId()).resolve("score.json").toFile());
            assertEquals("wer", score.get("metric").asText());
            double wer = score.get("value").asDouble();
            assertTrue(wer <= MAX_WER, score.toString());
            JsonNode details = score.get("details");
            assertEquals("audio", details.get("hypothesis_source").asText());
            assertEquals(7, details.get("reference_words").asInt());
            int errors = details.get("substitutions").asInt() + details.get("deletions").asInt() + details.get("insertions").asInt();
            assertEquals(wer, errors / 7.0, 1e-9);
            assertTrue(details.get("transcript").asText().contains("sunny"), details.toString());
            assertEquals(score.get("value"), result.outputs().get("value"));
        }
    }

    @Test
    void werOfATextOrATranscriptArtifactNeedsNoEngine() throws Exception {
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            ObjectNode text = ShimBridge.json("{\"reference\": \"the cat sat on the mat\", \"hypothesis\": \"The cat sat on a mat!\"}");
            WorkerMessage.Result byText = assertInstanceOf(WorkerMessage.Result.class, bridge.run("eval.wer", text, BACKEND, null, null));
            assertEquals(1.0 / 6, byText.outputs().get("value").asDouble(), 1e-12);
            assertEquals(1, byText.outputs().get("details").get("substitutions").asInt());

            Path transcript = Files.writeString(dir.resolve("t.txt"), "cat sat on the mat today");
            ObjectNode byArtifact = input("transcript", artifact(transcript, "text/plain")).put("reference", "the cat sat on the mat");
            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, bridge.run("eval.wer", byArtifact, BACKEND, null, null));
            JsonNode details = result.outputs().get("details");
            assertEquals(2.0 / 6, result.outputs().get("value").asDouble(), 1e-12);
            assertEquals(List.of(0, 1, 1), List.of(details.get("substitutions").asInt(), details.get("deletions").asInt(),
                    details.get("insertions").asInt()));
            assertEquals("transcript", details.get("hypothesis_source").asText());

            ObjectNode nothingHeard = ShimBridge.json("{\"reference\": \"hello world\", \"hypothesis\": \"\"}");
            assertEquals(1.0, assertInstanceOf(WorkerMessage.Result.class, bridge.run("eval.wer", nothingHeard, BACKEND, null, null))
                    .outputs().get("value").asDouble());
        }
    }

    @Test
    void badInputFailsPermanentlyNamingTheField() throws Exception {
        LocalTtsTest.assumeEngine(BACKEND);
        Path notAudio = Files.writeString(dir.resolve("notes.txt"), "not audio at all");
        Path audio = speech(dir, "hello", "wav");
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            assertPermanent(bridge.run("audio.transcribe", ShimBridge.json("{}"), BACKEND, null, null), Failures.INVALID_INPUT, "input.audio");
            assertPermanent(bridge.run("audio.transcribe", ShimBridge.json("{\"audio\": \"x.wav\"}"), BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.audio");
            assertPermanent(bridge.run("audio.transcribe", input("audio", artifact(notAudio, "text/plain")), BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.audio");
            assertPermanent(bridge.run("audio.transcribe", input("audio", artifact(audio, "audio/wav")).put("language", "xx-zz"), BACKEND, null, null),
                    Failures.UNSUPPORTED_PARAMETER, "language");
            assertPermanent(bridge.run("audio.transcribe", input("audio", artifact(audio, "audio/wav")).put("language", "../../etc"), BACKEND, null, null),
                    Failures.UNSUPPORTED_PARAMETER, "language");
            assertPermanent(bridge.run("audio.transcribe", input("audio", artifact(audio, "audio/wav")), BACKEND, null,
                    ShimBridge.json("{\"lm\": \"/no/such/model.lm.bin\"}")), Failures.INVALID_PARAMS, "params.lm");

            assertPermanent(bridge.run("eval.wer", ShimBridge.json("{\"hypothesis\": \"hi\"}"), BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.reference");
            assertPermanent(bridge.run("eval.wer", ShimBridge.json("{\"reference\": \"?!\", \"hypothesis\": \"hi\"}"), BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.reference");
            assertPermanent(bridge.run("eval.wer", ShimBridge.json("{\"reference\": \"hi\"}"), BACKEND, null, null),
                    Failures.INVALID_INPUT, "hypothesis");
            ObjectNode both = input("audio", artifact(audio, "audio/wav")).put("reference", "hi").put("hypothesis", "hi");
            assertPermanent(bridge.run("eval.wer", both, BACKEND, null, null), Failures.INVALID_INPUT, "not hypothesis and audio");
            assertPermanent(bridge.run("eval.wer", ShimBridge.json("{\"reference\": \"hi\", \"hypothesis\": 3}"), BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.hypothesis");
        }
    }
}
