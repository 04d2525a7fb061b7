package io.spindle.node.queue;

import com.typesafe.config.ConfigFactory;
import io.spindle.model.queue.JobQueue;
import io.spindle.model.queue.JobQueueContract;
import io.spindle.node.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.api.RedissonClient;

/** The shared queue contract against a real redis-server; idle times pass in real time. */
class RedisJobQueueContractTest extends JobQueueContract {
    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private static RedissonClient redisson;
    private static RedisJobQueue queue;

    @BeforeAll
    static void connect() {
        redisson = RedisClients.create(ConfigFactory.load(), REDIS.uri(), REDIS.password());
        queue = RedisJobQueue.fromConfig(redisson, ConfigFactory.load());
    }

    @AfterAll
    static void disconnect() {
        queue.close();
        redisson.shutdown();
    }

    @Override
    protected JobQueue queue() {
        return queue;
    }

    @Override
    protected void elapse(Duration d) {
        // Redis measures idle time on its own clock: the only way to let it pass is to wait.
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
