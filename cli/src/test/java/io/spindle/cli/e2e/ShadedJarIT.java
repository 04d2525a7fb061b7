package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The packaged command as a user runs it: {@code bin/spindle dev} on target/spindle.jar. Proves the shaded
 * jar's merged reference.conf (a cluster node, Mongo journal, Spindle serializers), its ServiceLoader files,
 * and that the built-in Java workers start from the jar itself.
 */
class ShadedJarIT {
    private static final Path LAUNCHER = Path.of("..", "bin", "spindle").toAbsolutePath().normalize();
    private Path dir;
    private NodeProcess dev;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory("spindle-jar-it");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (dev != null) {
            dev.close();
        }
        Backends.deleteRecursively(dir);
    }

    @Test
    void theLauncherRunsADevNodeWhoseJavaAndPythonWorkersRunJobs() {
        assertTrue(Files.isRegularFile(Path.of("target", "spindle.jar")), "package builds target/spindle.jar first");
        dev = NodeProcess.devWithLauncher(LAUNCHER, dir, "--data", dir.resolve("data").toString(),
                "--port", Integer.toString(Backends.freePort())).env("SPINDLE_RUN_DIR", dir.resolve("run").toString());
        SpindleApi api = new SpindleApi(dev.start());

        for (String config : List.of("echo-java", "echo-python")) {
            String id = api.submit(SpindleApi.spec("cpu.echo", config, SpindleApi.object().put("from", "jar"))).get("id").asText();
            JsonNode job = api.awaitTerminal(id, Duration.ofSeconds(60));
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            assertEquals("{\"from\":\"jar\"}", new String(api.artifactBytes(job.get("artifact_ids").get(0).asText()).body()).replace(" ", ""));
        }
        assertEquals(NodeProcess.EXIT_ON_SIGTERM, dev.stop());
    }
}
