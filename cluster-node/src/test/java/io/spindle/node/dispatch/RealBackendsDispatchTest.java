package io.spindle.node.dispatch;

import static io.spindle.node.testsupport.ExecutionFixture.spec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.spindle.model.artifact.Artifact;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import io.spindle.node.artifact.S3ArtifactStore;
import io.spindle.node.queue.RedisClients;
import io.spindle.node.queue.RedisJobQueue;
import io.spindle.node.testsupport.ExecutionFixture;
import io.spindle.node.testsupport.RedisServerExtension;
import io.spindle.node.testsupport.S3ProxyExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/** The execution path on the production backends: the Redis-streams queue on a real redis-server, artifacts on S3Proxy. */
class RealBackendsDispatchTest {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();
    @RegisterExtension
    static final S3ProxyExtension S3 = S3ProxyExtension.withCredentials();

    private static RedissonClient redisson;
    private static RedisJobQueue queue;
    private static ExecutionFixture fx;
    private static ActorRef<Dispatcher.Command> dispatcher;

    @BeforeAll
    static void startNode() {
        redisson = RedisClients.create(ConfigFactory.load(), REDIS.uri(), REDIS.password());
        queue = RedisJobQueue.fromConfig(redisson, ConfigFactory.load());
        String bucket = S3ProxyExtension.freshBucketName();
        fx = ExecutionFixture.start("RealBackendsDispatchTest", queue,
                kit -> S3ArtifactStore.open(kit.system(), S3.settings(bucket)).toCompletableFuture().join());
        dispatcher = fx.dispatcher("redis-echo", 2, fx.python());
    }

    @AfterAll
    static void stopNode() {
        fx.stop(dispatcher);
        fx.close();
        queue.close();
        redisson.shutdown();
    }

    @Test
    void anEchoJobTravelsThroughRedisAndItsArtifactLandsInS3() throws Exception {
        String id = fx.submit(spec("cpu.echo", "redis-echo", "{\"text\":\"through redis\"}"));

        Job done = fx.awaitStatus(id, JobStatus.SUCCEEDED);

        Artifact artifact = fx.artifact(done.artifactIds().get(0));
        assertTrue(artifact.uri().startsWith("s3://"), artifact.uri());
        byte[] bytes = fx.bytes(artifact);
        assertEquals(Json.mapper().readTree("{\"text\":\"through redis\"}"), Json.mapper().readTree(bytes));
        Path onDisk = findFile(S3.directory(), artifact.id());
        assertArrayEquals(bytes, Files.readAllBytes(onDisk), "the bytes are in S3Proxy's folder");
        ExecutionFixture.poll(() -> REDIS.commandLong("XLEN", "spindle:q:{redis-echo}:normal"), n -> n == 0L,
                "the acknowledged entry to be deleted from its stream");
    }

    @Test
    void aRetriedJobIsTakenAgainFromRedis() {
        List<String> ids = List.of(
                fx.submit(spec("cpu.fail", "redis-echo", "{\"fail_attempts\":1,\"transient\":true}")),
                fx.submit(spec("cpu.fail", "redis-echo", "{\"fail_attempts\":2,\"transient\":true}").withPriority(9)));

        for (String id : ids) {
            fx.awaitStatus(id, JobStatus.SUCCEEDED);
        }

        ExecutionFixture.assertAttempt(2, fx.get(ids.get(0)));
        ExecutionFixture.assertAttempt(3, fx.get(ids.get(1)));
    }

    private static Path findFile(Path root, String artifactId) throws Exception {
        try (var files = Files.walk(root)) {
            return files.filter(p -> p.toString().contains(artifactId) && Files.isRegularFile(p)).findFirst()
                    .orElseThrow(() -> new AssertionError("no file of artifact " + artifactId + " under " + root));
        }
    }
}
