package io.spindle.bridge.runtime;

import static io.spindle.bridge.runtime.LocalTtsTest.assertPermanent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eval.audio_stats} with the real ffmpeg on files whose stats are known by construction. */
class AudioStatsTest {
    private static final int RATE = 48_000;
    private static final String BACKEND = AudioStats.BACKEND;
    private static final String TYPE = "eval.audio_stats";
    /** A 1 kHz sine at half of full scale: peak 20·log10(0.5) = -6.02 dBFS, loudness -3.01 - 6.02 = -9.03 LUFS. */
    private static final double HALF_SCALE = 0.5;
    private static final double TONE_PEAK_DBFS = -6.02;
    private static final double TONE_LOUDNESS_LUFS = -9.03;

    @TempDir
    Path dir;

    @BeforeEach
    void needsFfmpeg() {
        LocalTtsTest.assumeEngine(BACKEND);
    }

    /** {@code toneS} seconds of a 1 kHz sine at {@code amplitude}, then {@code silenceS} seconds of digital silence. */
    private Path wav(String name, double toneS, double amplitude, double silenceS) throws Exception {
        int toneFrames = (int) (toneS * RATE);
        int frames = toneFrames + (int) (silenceS * RATE);
        byte[] pcm = new byte[frames * 2];
        for (int i = 0; i < toneFrames; i++) {
            short sample = (short) Math.round(Math.sin(2 * Math.PI * 1_000 * i / RATE) * amplitude * Short.MAX_VALUE);
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        Path file = dir.resolve(name);
        AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
        try (AudioInputStream stream = new AudioInputStream(new ByteArrayInputStream(pcm), format, frames)) {
            AudioSystem.write(stream, AudioFileFormat.Type.WAVE, file.toFile());
        }
        return file;
    }

    private static ObjectNode input(Path audio) throws Exception {
        ObjectNode input = FrameCodec.mapper().createObjectNode();
        input.set("audio", PocketsphinxAsrTest.artifact(audio, "audio/wav"));
        return input;
    }

    @Test
    void aToneThenSilenceHasItsDurationLoudnessPeakAndSilenceShare() throws Exception {
        Path audio = wav("tone.wav", 2, HALF_SCALE, 1);
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            assertEquals(List.of(TYPE), bridge.hello.jobTypes());

            WorkerMessage answer = bridge.run(TYPE, input(audio), BACKEND, null, null);

            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
            assertEquals(List.of(new ArtifactRef("score.json", "score", "application/json")), result.artifacts());
            JsonNode score = FrameCodec.mapper().readTree(bridge.scratch(result.jobId()).resolve("score.json").toFile());
            assertEquals("duration_s", score.get("metric").asText());
            assertEquals(3.0, score.get("value").asDouble(), 0.01);
            JsonNode details = score.get("details");
            assertEquals(3.0, details.get("duration_s").asDouble(), 0.01);
            assertEquals(TONE_PEAK_DBFS, details.get("peak_dbfs").asDouble(), 0.1);
            // The silent second is gated out of the integrated loudness, so it is the tone's own.
            assertEquals(TONE_LOUDNESS_LUFS, details.get("loudness_lufs").asDouble(), 1.0);
            assertEquals(1.0 / 3, details.get("silence_ratio").asDouble(), 0.02);
            assertEquals(-50, details.get("silence_threshold_db").asDouble());
        }
    }

    @Test
    void theMetricSettingPicksTheValue() throws Exception {
        Path audio = wav("tone.wav", 1, HALF_SCALE, 1);
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            for (String metric : AudioStats.METRICS) {
                WorkerMessage answer = bridge.run(TYPE, input(audio).put("metric", metric), BACKEND, null, null);
                JsonNode outputs = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString()).outputs();
                assertEquals(metric, outputs.get("metric").asText());
                assertEquals(outputs.get("details").get(metric).asDouble(), outputs.get("value").asDouble(), 1e-12, metric);
            }
            ObjectNode params = ShimBridge.json("{\"metric\": \"silence_ratio\"}");
            WorkerMessage answer = bridge.run(TYPE, input(audio), BACKEND, null, params);
            assertEquals(0.5, assertInstanceOf(WorkerMessage.Result.class, answer).outputs().get("value").asDouble(), 0.02);
        }
    }

    @Test
    void digitalSilenceHasFlooredLevelsAndIsAllSilence() throws Exception {
        Path audio = wav("silence.wav", 0, 0, 1.5);
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            WorkerMessage answer = bridge.run(TYPE, input(audio).put("metric", "peak_dbfs"), BACKEND, null, null);

            JsonNode outputs = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString()).outputs();
            assertEquals(AudioStats.SILENT_PEAK_DBFS, outputs.get("value").asDouble());
            assertEquals(AudioStats.SILENT_LOUDNESS_LUFS, outputs.get("details").get("loudness_lufs").asDouble());
            assertEquals(1.0, outputs.get("details").get("silence_ratio").asDouble(), 0.01);
            assertEquals(1.5, outputs.get("details").get("duration_s").asDouble(), 0.01);
        }
    }

    @Test
    void badInputFailsPermanentlyNamingTheField() throws Exception {
        Path audio = wav("tone.wav", 1, HALF_SCALE, 0);
        Path notAudio = Files.writeString(dir.resolve("notes.txt"), "not audio");
        try (ShimBridge bridge = new ShimBridge(dir, BACKEND)) {
            assertPermanent(bridge.run(TYPE, ShimBridge.json("{}"), BACKEND, null, null), Failures.INVALID_INPUT, "input.audio");
            assertPermanent(bridge.run(TYPE, input(notAudio), BACKEND, null, null), Failures.INVALID_INPUT, "input.audio");
            assertPermanent(bridge.run(TYPE, input(audio).put("metric", "loudest"), BACKEND, null, null),
                    Failures.UNSUPPORTED_PARAMETER, "metric");
            assertPermanent(bridge.run(TYPE, input(audio).put("silence_threshold_db", 6), BACKEND, null, null),
                    Failures.INVALID_INPUT, "input.silence_threshold_db");
        }
    }
}
