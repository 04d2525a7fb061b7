package io.spindle.node.queue;

import com.typesafe.config.ConfigFactory;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.queue.JobQueueContract;
import io.spindle.node.dev.EmbeddedRedis;
import io.spindle.node.dev.GeneratedSecret;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

/**
 * The shared queue contract against the Redis 6.2 binary bundled for {@code spindle dev} on machines
 * without redis-server: its stream replies differ in details from Redis 7 (e.g. XAUTOCLAIM).
 */
class BundledRedisJobQueueContractTest extends JobQueueContract {
    @TempDir
    static Path dataDir;

    private static EmbeddedRedis redis;
    private static RedissonClient redisson;
    private static RedisJobQueue queue;

    @BeforeAll
    static void start() {
        redis = EmbeddedRedis.startBundled(dataDir, 0, GeneratedSecret.random());
        redisson = RedisClients.create(ConfigFactory.load(), redis.uri(), redis.password());
        queue = RedisJobQueue.fromConfig(redisson, ConfigFactory.load());
    }

    @AfterAll
    static void stop() {
        queue.close();
        redisson.shutdown();
        redis.close();
    }

    @Override
    protected JobQueue queue() {
        return queue;
    }

    @Override
    protected void elapse(Duration d) {
        // Idle times are measured by the server's clock: let real time pass.
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
