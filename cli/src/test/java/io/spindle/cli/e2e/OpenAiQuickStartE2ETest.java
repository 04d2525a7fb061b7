package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seed's quick start, verbatim, against an OpenAI-compatible server: the config body registers, the running
 * node (named by the config's {@code preferred_node: control-node}, an alias of the dev configuration) starts an
 * openai worker for it without a restart, and the {@code audio.tts} job on it — refused once with 429 — is retried
 * by Spindle and ends with the server's WAV as its artifact. No worker command is written anywhere.
 */
class OpenAiQuickStartE2ETest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(90);
    private static final String QUICK_START_CONFIG = """
            {"id":"audio-tts-openai-v1","name":"OpenAI TTS","version":"v1","job_types":["audio.tts"],"preferred_node":"control-node","runtime_backend":"openai","model_ref":"tts-1-hd","is_active":true}""";
    private static final String QUICK_START_JOB = """
            {"type":"audio.tts","config_id":"audio-tts-openai-v1","input":{"text":"Hello world."}}""";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonNode> speechRequests = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final byte[] wav = wav(1_200);
    private HttpServer server;
    private Path dir;
    private Path runDir;
    private NodeProcess node;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/audio/speech", exchange -> {
            speechRequests.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
            boolean first = calls.incrementAndGet() == 1;
            byte[] body = first ? "{\"error\":{\"message\":\"Rate limit reached\"}}".getBytes(StandardCharsets.UTF_8) : wav;
            exchange.getResponseHeaders().set("Content-Type", first ? "application/json" : "audio/wav");
            exchange.sendResponseHeaders(first ? 429 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        dir = Files.createTempDirectory("spindle-openai-e2e");
        runDir = Path.of("/tmp", "sp-oai-" + ProcessHandle.current().pid());
    }

    @AfterEach
    void stop() throws IOException {
        if (node != null) {
            node.close();
        }
        server.stop(0);
        Backends.deleteRecursively(dir);
        Backends.deleteRecursively(runDir);
    }

    @Test
    void theQuickStartConfigAndJobRunAgainstACompatibleServerThroughA429() throws Exception {
        Path config = dir.resolve("node.conf");
        Files.writeString(config, """
                include classpath("spindle/dev.conf")
                spindle {
                  node {
                    name = "oai"
                    data-dir = "%s"
                    run-dir = "%s"
                    placement.poll-interval = 300ms
                  }
                  gateway.port = %d
                  jobs.retry-backoff { base = 300ms, factor = 2.0, max = 2s, jitter = 0.1 }
                }
                """.formatted(dir.resolve("data"), runDir, Backends.freePort()));
        // The node (and so the worker it starts) points OpenAI clients at the stub, as OpenAI's own SDKs do.
        node = NodeProcess.node("oai", config).env("OPENAI_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort());
        String url = node.start();
        SpindleApi api = new SpindleApi(url);

        HttpResponse<String> registered = post(url + "/configs", QUICK_START_CONFIG);
        assertEquals(201, registered.statusCode(), registered.body());
        HttpResponse<String> submitted = post(url + "/jobs", QUICK_START_JOB);
        assertEquals(201, submitted.statusCode(), submitted.body());
        String id = JSON.readTree(submitted.body()).get("id").asText();

        JsonNode job = api.awaitTerminal(id, JOB_TIMEOUT);

        assertEquals("succeeded", job.get("status").asText(), job::toString);
        assertEquals(List.of("submitted", "leased", "started", "retry_scheduled", "leased", "started", "succeeded"), api.eventTypes(id));
        JsonNode retry = api.events(id).get(3);
        assertTrue(retry.toString().contains("rate_limited"), retry::toString);
        String artifactId = job.get("artifact_ids").get(0).asText();
        assertEquals("audio/wav", api.artifact(artifactId).get("mime").asText());
        assertArrayEquals(wav, api.artifactBytes(artifactId).body());
        assertEquals(2, speechRequests.size());
        assertTrue(Files.readString(node.log()).contains("hosts config audio-tts-openai-v1 on the built-in openai backend"));
        for (JsonNode request : speechRequests) {
            assertEquals("tts-1-hd", request.get("model").asText());
            assertEquals("Hello world.", request.get("input").asText());
        }
    }

    private static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A real WAV of {@code millis} of a quiet tone. */
    private static byte[] wav(int millis) {
        int rate = 16_000;
        int frames = rate * millis / 1_000;
        byte[] pcm = new byte[frames * 2];
        for (int i = 0; i < frames; i++) {
            short sample = (short) (Math.sin(2 * Math.PI * 440 * i / rate) * 1_000);
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        try (AudioInputStream stream = new AudioInputStream(new ByteArrayInputStream(pcm), new AudioFormat(rate, 16, 1, true, false), frames)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            AudioSystem.write(stream, AudioFileFormat.Type.WAVE, out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
