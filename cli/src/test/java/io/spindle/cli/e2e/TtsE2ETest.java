package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spindle.bridge.runtime.EspeakTts;
import io.spindle.bridge.runtime.RuntimeBackends;
import io.spindle.bridge.runtime.RuntimeShim;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's first example for real: {@code spindle dev} finds espeak-ng, hosts {@code tts-espeak}, and an
 * {@code audio.tts} job through the HTTP API ends with a WAV artifact that decodes and lasts as long as the text.
 */
class TtsE2ETest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final String SENTENCE = "Hello world, this is Spindle speaking.";
    private Path dir;
    private NodeProcess dev;

    @BeforeEach
    void createDirs() throws IOException {
        RuntimeShim espeak = RuntimeBackends.create(EspeakTts.BACKEND).orElseThrow();
        assumeTrue(espeak.unavailableReason().isEmpty(), () -> "skipped: " + espeak.unavailableReason().orElseThrow());
        dir = Files.createTempDirectory("spindle-tts-e2e");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (dev != null) {
            dev.close();
            Path logs = Path.of("target", "e2e-logs", getClass().getSimpleName());
            Files.createDirectories(logs);
            Files.copy(dev.log(), logs.resolve("dev.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (dir != null) {
            Backends.deleteRecursively(dir);
        }
    }

    @Test
    void aDevNodeSpeaksASentenceIntoADownloadableWav() throws Exception {
        int port = Backends.freePort();
        dev = NodeProcess.dev(dir, "--data", dir.resolve("data").toString(), "--port", Integer.toString(port))
                .env("SPINDLE_RUN_DIR", dir.resolve("run").toString());
        SpindleApi api = new SpindleApi(dev.start());
        assertTrue(dev.printed().contains("runtime espeak: found, hosting config tts-espeak"), dev::printed);

        JsonNode job = api.awaitTerminal(api.submit(SpindleApi.spec("audio.tts", "tts-espeak",
                SpindleApi.object().put("text", SENTENCE))).get("id").asText(), JOB_TIMEOUT);

        assertEquals("succeeded", job.get("status").asText(), job::toString);
        assertEquals("audio/wav", job.get("outputs").get("mime").asText(), job::toString);
        String artifactId = job.get("artifact_ids").get(0).asText();
        assertEquals("audio/wav", api.artifact(artifactId).get("mime").asText());
        HttpResponse<byte[]> wav = api.artifactBytes(artifactId);
        assertTrue(wav.headers().firstValue("Content-Type").orElse("").startsWith("audio/wav"), wav.headers()::toString);
        try (AudioInputStream audio = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav.body()))) {
            double seconds = audio.getFrameLength() / (double) audio.getFormat().getFrameRate();
            assertTrue(seconds >= 1.0 && seconds <= 6.0, "spoke for " + seconds + " s");
        }

        // A bad input fails at once, permanently, naming the field.
        JsonNode bad = api.awaitTerminal(api.submit(SpindleApi.spec("audio.tts", "tts-espeak",
                SpindleApi.object().put("txt", SENTENCE))).get("id").asText(), JOB_TIMEOUT);
        assertEquals("failed", bad.get("status").asText(), bad::toString);
        assertTrue(bad.toString().contains("input.text"), bad::toString);
    }

    @Test
    void theSeedsQuickStartConfigBodyIsAccepted() throws Exception {
        int port = Backends.freePort();
        dev = NodeProcess.dev(dir, "--data", dir.resolve("data").toString(), "--port", Integer.toString(port))
                .env("SPINDLE_RUN_DIR", dir.resolve("run").toString());
        String url = dev.start();
        String quickStart = """
                {"id":"audio-tts-openai-v1","name":"OpenAI TTS","version":"v1","job_types":["audio.tts"],
                 "preferred_node":"control-node","runtime_backend":"openai","model_ref":"tts-1-hd","is_active":true}""";

        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/configs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(quickStart)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(201, created.statusCode(), created.body());
        JsonNode config = new ObjectMapper().readTree(created.body());
        assertEquals(List.of(1, "v1"), List.of(config.get("version").asInt(), config.get("version_label").asText()));
    }
}
