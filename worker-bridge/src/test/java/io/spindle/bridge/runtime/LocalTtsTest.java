package io.spindle.bridge.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.spindle.bridge.protocol.ArtifactRef;
import io.spindle.bridge.protocol.FrameCodec;
import io.spindle.bridge.protocol.WorkerMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local TTS shims against their real engines (espeak-ng, flite, festival; ffmpeg for mp3), through a real worker. */
class LocalTtsTest {
    /** About two seconds of speech at the default rate. */
    static final String SENTENCE = "Hello world, this is Spindle speaking.";
    static final double MIN_SECONDS = 1.0;
    static final double MAX_SECONDS = 6.0;

    @TempDir
    Path dir;

    static void assumeEngine(String backend) {
        RuntimeShim shim = RuntimeBackends.create(backend).orElseThrow();
        assumeTrue(shim.unavailableReason().isEmpty(), () -> "skipped: " + shim.unavailableReason().orElseThrow());
    }

    private static ObjectNode input(String json) {
        return ShimBridge.json(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {EspeakTts.BACKEND, FliteTts.BACKEND, FestivalTts.BACKEND})
    void speaksASentenceAsAWavAsLongAsTheText(String backend) throws Exception {
        assumeEngine(backend);
        try (ShimBridge bridge = new ShimBridge(dir, backend)) {
            assertEquals(List.of("audio.tts"), bridge.hello.jobTypes());
            WorkerMessage answer = bridge.run("audio.tts", input("{\"text\": \"" + SENTENCE + "\"}"), backend, null, null);
            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
            assertEquals(List.of(new ArtifactRef("speech.wav", "audio", "audio/wav")), result.artifacts());
            Path wav = bridge.scratch(result.jobId()).resolve("speech.wav");
            try (AudioInputStream audio = AudioSystem.getAudioInputStream(wav.toFile())) {
                double seconds = audio.getFrameLength() / (double) audio.getFormat().getFrameRate();
                assertTrue(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS, backend + " spoke for " + seconds + " s");
                assertEquals(Math.round(seconds * 1000), result.outputs().get("duration_ms").asLong(), 1.0);
            }
            assertEquals(backend, result.outputs().get("backend").asText());
            assertFalse(bridge.progress(result.jobId()).isEmpty(), "reports progress");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {EspeakTts.BACKEND, FliteTts.BACKEND, FestivalTts.BACKEND})
    void aSlowerRateSpeaksLonger(String backend) throws Exception {
        assumeEngine(backend);
        try (ShimBridge bridge = new ShimBridge(dir, backend)) {
            String text = "{\"text\": \"" + SENTENCE + "\", \"rate\": %d}";
            long normal = duration(bridge.run("audio.tts", input(text.formatted(175)), backend, null, null));
            long slow = duration(bridge.run("audio.tts", input(text.formatted(100)), backend, null, null));
            assertTrue(slow > normal * 1.3, "rate 100 lasted " + slow + " ms, rate 175 " + normal + " ms");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {EspeakTts.BACKEND, FliteTts.BACKEND, FestivalTts.BACKEND})
    void encodesMp3WithFfmpeg(String backend) throws Exception {
        assumeEngine(backend);
        assumeTrue(Subprocess.onPath("ffmpeg"), "skipped: ffmpeg is not on the PATH (apt-get install ffmpeg)");
        try (ShimBridge bridge = new ShimBridge(dir, backend)) {
            ObjectNode params = FrameCodec.mapper().createObjectNode().put("format", "mp3");
            WorkerMessage answer = bridge.run("audio.tts", input("{\"text\": \"Hello.\"}"), backend, null, params);
            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
            assertEquals(List.of(new ArtifactRef("speech.mp3", "audio", "audio/mpeg")), result.artifacts());
            byte[] mp3 = Files.readAllBytes(bridge.scratch(result.jobId()).resolve("speech.mp3"));
            boolean id3 = mp3[0] == 'I' && mp3[1] == 'D' && mp3[2] == '3';
            boolean frameSync = (mp3[0] & 0xFF) == 0xFF && (mp3[1] & 0xE0) == 0xE0;
            assertTrue(id3 || frameSync, "an MP3 stream");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {EspeakTts.BACKEND, FliteTts.BACKEND, FestivalTts.BACKEND})
    void badInputFailsPermanentlyNamingTheField(String backend) throws Exception {
        assumeEngine(backend);
        try (ShimBridge bridge = new ShimBridge(dir, backend)) {
            assertPermanent(bridge.run("audio.tts", input("{}"), backend, null, null), Failures.INVALID_INPUT, "input.text");
            assertPermanent(bridge.run("audio.tts", input("{\"text\": 7}"), backend, null, null), Failures.INVALID_INPUT, "input.text");
            assertPermanent(bridge.run("audio.tts", input("{\"text\": \"hi\", \"rate\": 5}"), backend, null, null),
                    Failures.INVALID_INPUT, "input.rate");
            assertPermanent(bridge.run("audio.tts", input("{\"text\": \"hi\", \"format\": \"flac\"}"), backend, null, null),
                    Failures.UNSUPPORTED_PARAMETER, "format");
            assertPermanent(bridge.run("audio.tts", input("{\"text\": \"hi\", \"voice\": \"no-such-voice\"}"), backend, null, null),
                    Failures.UNSUPPORTED_PARAMETER, "voice");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {EspeakTts.BACKEND, FliteTts.BACKEND, FestivalTts.BACKEND})
    void aConfigOfAnotherBackendOrJobTypeIsRefused(String backend) throws Exception {
        try (ShimBridge bridge = new ShimBridge(dir, backend)) {
            assertPermanent(bridge.run("audio.tts", input("{\"text\": \"hi\"}"), "openai", null, null), Failures.UNSUPPORTED_BACKEND, "openai");
            assertPermanent(bridge.run("text.generate", input("{\"text\": \"hi\"}"), backend, null, null),
                    Failures.UNSUPPORTED_JOB_TYPE, "text.generate");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {EspeakTts.BACKEND, FliteTts.BACKEND, FestivalTts.BACKEND})
    void theModelRefPicksTheVoice(String backend) throws Exception {
        assumeEngine(backend);
        String voice = switch (backend) {
            case EspeakTts.BACKEND -> "en-us";
            case FliteTts.BACKEND -> "kal";
            default -> FestivalTts.DEFAULT_VOICE; // the one voice Debian packages for festival in English
        };
        try (ShimBridge bridge = new ShimBridge(dir, backend)) {
            WorkerMessage answer = bridge.run("audio.tts", input("{\"text\": \"Hi.\"}"), backend, voice, null);
            WorkerMessage.Result result = assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString());
            assertEquals(voice, result.outputs().get("voice").asText());
        }
    }

    static void assertPermanent(WorkerMessage answer, String code, String named) {
        WorkerMessage.Error error = assertInstanceOf(WorkerMessage.Error.class, answer, answer.toString());
        assertEquals(code, error.code(), error.message());
        assertFalse(error.isTransient(), error.message());
        assertTrue(error.message().contains(named), error.message());
    }

    private static long duration(WorkerMessage answer) {
        return assertInstanceOf(WorkerMessage.Result.class, answer, answer.toString()).outputs().get("duration_ms").asLong();
    }
}
