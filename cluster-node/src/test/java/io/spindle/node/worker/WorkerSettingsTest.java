package io.spindle.node.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.spindle.bridge.channel.WorkerChannel;
import io.spindle.node.config.BuiltinWorkerArgv;
import io.spindle.node.dispatch.DispatchSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The execution settings as shipped, the restart backoff, socket paths and the built-in worker commands. */
class WorkerSettingsTest {

    @Test
    void theShippedConfigurationReads() {
        WorkerSettings workers = WorkerSettings.fromConfig(ConfigFactory.load());
        DispatchSettings dispatch = DispatchSettings.fromConfig(ConfigFactory.load());

        assertEquals(16 * 1024 * 1024, workers.maxFrameBytes());
        assertTrue(workers.unresponsiveAfter().compareTo(workers.heartbeatInterval()) > 0);
        assertTrue(dispatch.claimStaleMinIdle().compareTo(dispatch.leaseTtl()) <= 0);
        assertEquals("scratch", workers.scratchDir());
        assertEquals(1, workers.prefetch(), "a worker takes its next job while one end is still being reported");
    }

    @Test
    void restartsBackOffExponentiallyUpToTheMaximum() {
        WorkerSettings s = WorkerSettings.fromConfig(ConfigFactory.parseString("""
                spindle.workers.restart-backoff { min = 100ms, max = 1s, factor = 2.0 }
                """).withFallback(ConfigFactory.load()));

        assertEquals(List.of(100L, 200L, 400L, 800L, 1000L, 1000L),
                List.of(1, 2, 3, 4, 5, 30).stream().map(n -> s.restartDelay(n).toMillis()).toList());
    }

    @Test
    void socketPathsStayShortEnoughForAUnixSocket() {
        Path runDir = Path.of("/tmp/spindle-node-1");
        String longId = "a".repeat(63);

        assertEquals(runDir.resolve("sdxl-w2.sock"), SpawnedWorker.socketPath(runDir, "sdxl", 2));
        Path hashed = SpawnedWorker.socketPath(runDir, longId, 10);
        assertTrue(hashed.toString().getBytes(StandardCharsets.UTF_8).length < WorkerChannel.MAX_SOCKET_PATH_BYTES, hashed.toString());
        assertTrue(hashed.getFileName().toString().endsWith("-w10.sock"));
        assertEquals(hashed, SpawnedWorker.socketPath(runDir, longId, 10), "stable");
    }

    @Test
    void theBuiltinCommandsRunTheBridgesWorkers() {
        List<String> java = BuiltinWorkerArgv.argv("java");
        List<String> python = BuiltinWorkerArgv.argv("python");

        assertEquals(io.spindle.bridge.builtin.BuiltinWorkers.class.getName(), java.get(java.size() - 1));
        assertEquals("python3", python.get(0));
        assertTrue(Files.isRegularFile(Path.of(python.get(1))), "the Python SDK was extracted: " + python);
    }
}
