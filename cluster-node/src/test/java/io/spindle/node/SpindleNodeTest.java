package io.spindle.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.node.config.NodeConfig;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole node in this JVM on embedded backends under a temp data dir (the `spindle dev` set-up without
 * workers or HTTP): it starts, registers its seed configs, takes a job through its entity into Mongo, the
 * read model and Redis, stops in order, and finds everything again when started on the same data dir.
 */
class SpindleNodeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private Path dataDir;

    @BeforeEach
    void createDataDir() throws IOException {
        dataDir = Files.createTempDirectory("spindle-node-test");
    }

    @AfterEach
    void deleteDataDir() throws IOException {
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aDevNodeKeepsItsJobsAcrossARestartAndStopsItsBackends() throws Exception {
        Config config = config();
        String jobId = JobIds.newId();
        int redisPort;
        try (SpindleNode node = SpindleNode.start(config)) {
            assertTrue(node.configs().config("seeded").toCompletableFuture().get().isPresent(), "seed config registered");
            Job submitted = JobEntity.entityRef(node.system(), jobId)
                    .<io.spindle.node.job.JobReply>ask(r -> new JobEntity.Submit(
                            JobSpec.of("cpu.echo", "seeded", Json.object().put("text", "hi")), 1, null, r), TIMEOUT)
                    .toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).orThrow();
            assertEquals(JobStatus.QUEUED, submitted.status());
            awaitView(node, jobId);
            assertEquals(1L, node.queue().depth("seeded").toCompletableFuture().get());
            redisPort = java.net.URI.create(node.config().getString("spindle.redis.uri")).getPort();
            assertTrue(Files.isRegularFile(dataDir.resolve("redis/spindle-redis.pid")));
        }
        assertFalse(answers(redisPort), "embedded Redis stopped with the node");
        assertFalse(Files.exists(dataDir.resolve("redis/spindle-redis.pid")));

        try (SpindleNode again = SpindleNode.start(config)) {
            Job recovered = awaitView(again, jobId);
            assertEquals(JobStatus.QUEUED, recovered.status());
            assertEquals("hi", recovered.input().get("text").asText());
            // Redis kept its append-only file, so the ticket is still there.
            assertTrue(again.queue().depth("seeded").toCompletableFuture().get() >= 1);
        }
    }

    @Test
    void nodeConfigResolvesReferenceValuesAgainstTheNodeFile() {
        Config config = NodeConfig.layered(ConfigFactory.parseString("spindle.node.roles = [\"worker\"]"));

        assertEquals(List.of("worker"), config.getStringList("pekko.cluster.roles"));
    }

    private Config config() {
        return NodeConfig.layered(ConfigFactory.parseString("""
                spindle.dev.embedded = on
                spindle.node.name = "test-node"
                spindle.node.hosted-configs = []
                spindle.boot.seed-configs = [ { id = "seeded", name = "Seeded", job-types = ["cpu.*"], runtime-backend = "builtin-java" } ]
                spindle.readmodel.projection.batch-window = 20ms
                pekko.remote.artery.canonical.port = 0
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                """).withValue("spindle.node.data-dir", ConfigValueFactory.fromAnyRef(dataDir.toString()))
                .withValue("spindle.node.run-dir", ConfigValueFactory.fromAnyRef(dataDir.resolve("run").toString())));
    }

    private static Job awaitView(SpindleNode node, String jobId) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Optional<Job> view = node.jobViews().job(jobId).toCompletableFuture().get();
            if (view.isPresent()) {
                return view.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + jobId + " never reached the read model");
            }
            Thread.sleep(50);
        }
    }

    private static boolean answers(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
