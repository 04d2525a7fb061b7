package io.spindle.node.dev;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.node.dev.RedisProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A redis-server left running by a node killed with SIGKILL (a plain child process here, as it is then: no
 * JVM hook will stop it) is found by its pid file and stopped; a pid file naming anything else is ignored.
 */
class RedisPidFileTest {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private Path dir;
    private Process leftover;

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory("spindle-redis-pid");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (leftover != null) {
            leftover.destroyForcibly();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aLeftoverRedisOnTheDataDirIsStoppedBeforeANewOneStarts() throws Exception {
        int port = startLeftover();
        RedisPidFile pidFile = new RedisPidFile(dir, "");
        pidFile.record(port);

        pidFile.stopLeftover();

        assertTrue(leftover.waitFor(10, TimeUnit.SECONDS), "the leftover redis-server exited");
    }

    @Test
    void aPidFileThatNamesAnotherProcessIsIgnored() throws Exception {
        int port = startLeftover();
        // Our own pid with the leftover's port: the server there is not that process, so nothing is stopped.
        Files.writeString(dir.resolve("spindle-redis.pid"), ProcessHandle.current().pid() + " " + port);

        new RedisPidFile(dir, "").stopLeftover();

        assertFalse(leftover.waitFor(500, TimeUnit.MILLISECONDS), "the redis-server keeps running");
    }

    private int startLeftover() throws Exception {
        Path exe = RedisProcess.findOnPath("redis-server").orElseThrow(() -> new IllegalStateException(
                "redis-server is not on the PATH: apt-get install -y redis-server"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(RedisProcess.HOST))) {
            port = s.getLocalPort();
        }
        leftover = new ProcessBuilder(List.of(exe.toString(), "--port", Integer.toString(port), "--bind", RedisProcess.HOST,
                "--dir", dir.toString(), "--save", "", "--appendonly", "no"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!answers(port)) {
            if (System.nanoTime() > deadline || !leftover.isAlive()) {
                throw new IllegalStateException("redis-server did not start: " + Files.readString(dir.resolve("redis.log")));
            }
            Thread.sleep(20);
        }
        return port;
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket(RedisProcess.HOST, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
