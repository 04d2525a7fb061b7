package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spindle.bridge.runtime.EspeakTts;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's first example for real: {@code spindle dev} finds espeak-ng, hosts {@code tts-espeak}, and an
 * {@code audio.tts} job through the HTTP API ends with a WAV artifact that decodes and lasts as long as the text.
 */
class TtsE2ETest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final String SENTENCE = "Hello world, this is Spindle speaking.";

    @RegisterExtension
    final DevNode dev = DevNode.requiring(EspeakTts.BACKEND);

    @Test
    void aDevNodeSpeaksASentenceIntoADownloadableWav() throws Exception {
        SpindleApi api = dev.startApi();
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
