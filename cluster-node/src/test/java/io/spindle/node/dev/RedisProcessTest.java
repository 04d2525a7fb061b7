package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisProcessTest {
    private static final List<String> EPHEMERAL = List.of("--save", "", "--appendonly", "no");

    @TempDir
    Path dir;

    @Test
    void findsExecutablesOnThePathOnly() {
        assertTrue(RedisProcess.findOnPath("redis-server").isPresent());
        assertFalse(RedisProcess.findOnPath("no-such-redis-server-here").isPresent());
    }

    @Test
    void survivesAKillAndARestartOnTheSamePort() {
        try (RedisProcess redis = RedisProcess.start(redisServer(), dir, 0, EPHEMERAL, "")) {
            redis.command("SET", "k", "v");
            assertEquals("v", redis.command("GET", "k"));

            redis.kill();
            assertFalse(redis.isAlive());
            redis.restart();

            assertTrue(redis.isAlive());
            assertEquals("PONG", redis.command("PING"));
            assertEquals(null, redis.command("GET", "k"), "no persistence: restarted empty");
        }
    }

    @Test
    void aServerThatCannotStartFailsWithItsLog() {
        try (RedisProcess first = RedisProcess.start(redisServer(), dir.resolve("a"), 0, EPHEMERAL, "")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RedisProcess.start(redisServer(), dir.resolve("b"), first.port(), EPHEMERAL, ""));
            assertTrue(e.getMessage().contains("exited at start"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> first.command("NO-SUCH-COMMAND"));
        }
    }

    private static Path redisServer() {
        return RedisProcess.findOnPath("redis-server").orElseThrow(() -> new IllegalStateException(
                "redis-server is not on the PATH: apt-get install -y redis-server"));
    }
}
