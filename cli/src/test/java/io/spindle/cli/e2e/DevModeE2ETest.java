package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spindle dev}: one process with every backend embedded under its data dir, the built-in Java and
 * Python workers and their demo configs. Stopped with SIGTERM and started again, it still has every job and
 * artifact, and runs new jobs.
 */
class DevModeE2ETest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);
    private Path dir;
    private NodeProcess dev;

    @BeforeEach
    void createDirs() throws IOException {
        dir = Files.createTempDirectory("spindle-dev-e2e");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (dev != null) {
            dev.close();
            Path logs = Path.of("target", "e2e-logs", getClass().getSimpleName());
            Files.createDirectories(logs);
            Files.copy(dev.log(), logs.resolve("dev.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Backends.deleteRecursively(dir);
    }

    @Test
    void aDevNodeKeepsJobsAndArtifactsAcrossARestart() throws IOException {
        int port = Backends.freePort();
        dev = NodeProcess.dev(dir, "--data", dir.resolve("data").toString(), "--port", Integer.toString(port))
                .env("SPINDLE_RUN_DIR", dir.resolve("run").toString());
        String url = dev.start();
        assertEquals("http://127.0.0.1:" + port, url);
        SpindleApi api = new SpindleApi(url);

        List<String> ids = new ArrayList<>();
        for (String config : List.of("echo-java", "echo-python")) {
            ids.add(api.submit(SpindleApi.spec("cpu.echo", config, SpindleApi.object().put("hello", config))).get("id").asText());
        }
        List<byte[]> artifacts = new ArrayList<>();
        List<String> artifactIds = new ArrayList<>();
        for (String id : ids) {
            JsonNode job = api.awaitTerminal(id, JOB_TIMEOUT);
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            String artifactId = job.get("artifact_ids").get(0).asText();
            artifactIds.add(artifactId);
            artifacts.add(api.artifactBytes(artifactId).body());
        }
        assertTrue(Files.isDirectory(dir.resolve("data/s3")), "artifact bytes live under the data dir");
        assertTrue(Files.isRegularFile(dir.resolve("data/mongo.h2")), "the journal lives under the data dir");

        assertEquals(NodeProcess.EXIT_ON_SIGTERM, dev.stop(), "stops by itself on SIGTERM");
        assertFalse(Files.exists(dir.resolve("data/redis/spindle-redis.pid")), "its Redis was stopped with it");
        assertTrue(dev.tail().contains("Node dev stopped"), dev.tail());

        api.baseUrl(dev.start());
        for (int i = 0; i < ids.size(); i++) {
            JsonNode job = api.job(ids.get(i));
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            assertEquals(List.of("submitted", "leased", "started", "succeeded"), api.eventTypes(ids.get(i)));
            assertArrayEquals(artifacts.get(i), api.artifactBytes(artifactIds.get(i)).body());
        }
        assertEquals(2, api.jobsOf("echo-java", java.time.Instant.EPOCH).size() + api.jobsOf("echo-python", java.time.Instant.EPOCH).size());
        String after = api.submit(SpindleApi.spec("cpu.sleep", "echo-python", SpindleApi.object().put("duration_ms", 100)))
                .get("id").asText();
        assertEquals("succeeded", api.awaitTerminal(after, JOB_TIMEOUT).get("status").asText());
        assertEquals(NodeProcess.EXIT_ON_SIGTERM, dev.stop());
        try (Stream<Path> leftovers = Files.list(dir.resolve("data/redis"))) {
            assertFalse(leftovers.anyMatch(p -> p.getFileName().toString().equals("spindle-redis.pid")));
        }
    }
}
