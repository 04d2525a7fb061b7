package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.spindle.model.queue.JobQueueContract;
import io.spindle.model.queue.QueueTicket;
import io.spindle.node.queue.RedisClients;
import io.spindle.node.queue.RedisJobQueue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

class EmbeddedRedisTest {
    private static final String PASSWORD = GeneratedSecret.random();
    @TempDir
    Path dataDir;

    @Test
    void systemRedisServerKeepsQueuedTicketsAcrossARestart() {
        int port;
        try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, PASSWORD)) {
            assertFalse(redis.bundled(), "redis-server is on the PATH here");
            port = redis.port();
            enqueue(redis, "survivor");
        }
        try (EmbeddedRedis again = EmbeddedRedis.start(dataDir, port, PASSWORD)) {
            assertEquals(List.of("survivor"), takeAll(again));
        }
    }

    @Test
    void bundledBinaryServesTheQueueWhenNoRedisServerIsInstalled() {
        try (EmbeddedRedis redis = EmbeddedRedis.startBundled(dataDir, 0, PASSWORD)) {
            assertTrue(redis.bundled());
            enqueue(redis, "bundled");
            assertEquals(List.of("bundled"), takeAll(redis));
        }
    }

    private static void enqueue(EmbeddedRedis redis, String jobId) {
        RedissonClient client = RedisClients.create(ConfigFactory.load(), redis.uri(), redis.password());
        try (RedisJobQueue queue = RedisJobQueue.fromConfig(client, ConfigFactory.load())) {
            JobQueueContract.join(queue.enqueue(new QueueTicket(jobId, "cfg", 5, 1)));
        } finally {
            client.shutdown();
        }
    }

    private static List<String> takeAll(EmbeddedRedis redis) {
        RedissonClient client = RedisClients.create(ConfigFactory.load(), redis.uri(), redis.password());
        try (RedisJobQueue queue = RedisJobQueue.fromConfig(client, ConfigFactory.load())) {
            return JobQueueContract.jobIds(JobQueueContract.join(queue.take("cfg", "node-1", 10, Duration.ZERO)));
        } finally {
            client.shutdown();
        }
    }
}
