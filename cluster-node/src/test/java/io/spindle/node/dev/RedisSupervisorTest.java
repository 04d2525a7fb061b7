package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.spindle.model.queue.JobQueueContract;
import io.spindle.model.queue.QueueTicket;
import io.spindle.node.queue.RedisClients;
import io.spindle.node.queue.RedisJobQueue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.redisson.api.RedissonClient;

/** An embedded redis-server killed with SIGKILL is started again on its port and data dir, keeping its queue. */
class RedisSupervisorTest {
    private static final Duration CHECK = Duration.ofMillis(100);
    private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @Test
    void aKilledRedisIsRestartedOnItsDataDirAndTheClientCarriesOn() throws Exception {
        String password = "supervisor-test-secret";
        RedisPidFile pidFile = new RedisPidFile(dataDir, password);
        try (EmbeddedRedis redis = EmbeddedRedis.start(dataDir, password);
             RedisSupervisor supervisor = new RedisSupervisor(redis, pidFile, CHECK, CHECK, Duration.ofSeconds(1)).start()) {
            pidFile.record(redis.port());
            RedissonClient client = RedisClients.create(ConfigFactory.load(), redis.uri(), password);
            try (RedisJobQueue queue = RedisJobQueue.fromConfig(client, ConfigFactory.load())) {
                JobQueueContract.join(queue.enqueue(new QueueTicket("before-the-crash", "cfg", 5, 1)));
                // The append-only file is fsynced every second: wait for it before the crash.
                Thread.sleep(1500);
                long first = recordedPid();
                ProcessHandle crashed = ProcessHandle.of(first).orElseThrow();
                crashed.destroyForcibly();
                crashed.onExit().get(10, TimeUnit.SECONDS);

                long second = awaitNewPid(first);
                assertNotEquals(first, second);
                assertTrue(redis.isAlive());
                JobQueueContract.join(queue.enqueue(new QueueTicket("after-the-crash", "cfg", 5, 1)));
                assertEquals(List.of("before-the-crash", "after-the-crash"),
                        JobQueueContract.jobIds(JobQueueContract.join(queue.take("cfg", "node-1", 10, Duration.ZERO))));
            } finally {
                client.shutdown();
            }
        }
    }

    private long awaitNewPid(long old) throws Exception {
        long deadline = System.nanoTime() + RESTART_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long pid = recordedPid();
            if (pid != old && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return pid;
            }
            Thread.sleep(CHECK.toMillis());
        }
        throw new AssertionError("redis-server was not restarted within " + RESTART_TIMEOUT);
    }

    private long recordedPid() throws Exception {
        return Long.parseLong(Files.readString(dataDir.resolve("spindle-redis.pid")).trim().split("\\s+")[0]);
    }
}
