package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node's embedded redis-server killed with SIGKILL under load, and its port then held for a while so that it
 * cannot start again at once: while it is down {@code /ready} answers 503 naming it and submits are still journaled
 * (201); once the port is free the node starts it again on its append-only file, {@code /ready} is 200 again, and every accepted job succeeds exactly once (one {@code started} and one {@code succeeded} event).
 */
class RedisCrashE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final int JOBS_BEFORE = 80;
    private static final int JOBS_WHILE_DOWN = 10;
    private static final String EMBEDDED_REDIS = """
            spindle.dev {
              embedded = on
              embed { mongo = off, s3 = off }
            }
            """;
    /**
     * How long the test keeps the dead server's port taken, so that its restarts fail (and back off) and Redis stays
     * down longer than the client's retries: commands fail, /ready is seen failing.
     */
    private static final Duration PID_FILE_WAIT = Duration.ofSeconds(10);
    private static final Duration PORT_HELD = Duration.ofSeconds(10);
    private static final String HOSTED = """
            { config-id = "e2e-java", concurrency = 3, worker { builtin = "java" } }
            { config-id = "e2e-python", concurrency = 3, worker { builtin = "python" } }
            """;
    private static final Duration DOWN_TIMEOUT = Duration.ofSeconds(30);

    private NodeProcess node;

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void killNineOfTheEmbeddedRedisLosesNoAcceptedJobAndRunsNoneTwice() throws Exception {
        Path config = BACKENDS.nodeConfig("node-1", Backends.freePort(), HOSTED, EMBEDDED_REDIS);
        node = NodeProcess.node("node-1", config);
        SpindleApi api = new SpindleApi(node.start());
        assertEquals(200, api.readiness().status(), "ready before the crash");
        Instant since = Instant.now();
        List<String> ids = new ArrayList<>(submit(api, JOBS_BEFORE));
        api.await(ids.get(0), j -> !"queued".equals(j.get("status").asText()), Duration.ofSeconds(60), "leased");

        Path pidFile = config.getParent().resolve("data/redis/spindle-redis.pid");
        long pid = pidOf(pidFile);
        int port = portOf(pidFile);
        try (ServerSocket squatter = killAndTakePort(pidFile, port)) {
            long heldUntil = System.nanoTime() + PORT_HELD.toNanos();
            SpindleApi.Response down = awaitReadiness(api, 503);
            assertTrue(down.body().contains("redis"), "/ready names the queue: " + down.body());
            List<String> whileDown = submit(api, JOBS_WHILE_DOWN);
            assertEquals(JOBS_WHILE_DOWN, whileDown.size(), "submits are journaled while the queue is down");
            ids.addAll(whileDown);
            NodeProcess.sleep(Duration.ofNanos(Math.max(0, heldUntil - System.nanoTime())));
            assertEquals(503, api.readiness().status(), "still not ready while Redis cannot start");
        }

        awaitReadiness(api, 200);
        assertNotEquals(pid, awaitNewPid(pidFile, pid), "a new redis-server runs");

        Map<String, JsonNode> jobs = new HashMap<>();
        for (String configId : List.of("e2e-java", "e2e-python")) {
            List<String> ofConfig = ids.stream().filter(id -> configOf(api, id).equals(configId)).toList();
            jobs.putAll(api.awaitAllTerminal(configId, since, ofConfig, Duration.ofSeconds(180)));
        }
        assertEquals(ids.size(), jobs.size(), "no accepted job lost");
        for (String id : ids) {
            JsonNode job = jobs.get(id);
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            List<String> types = api.eventTypes(id);
            assertEquals(1, types.stream().filter("succeeded"::equals).count(), () -> "one completion of " + id + ": " + types);
            assertEquals(1, types.stream().filter("started"::equals).count(), () -> "one run of " + id + ": " + types);
        }
    }

    /**
     * Kills the recorded redis-server and takes its port. The node may restart its server before the port is taken;
     * then that one is killed too and the port taken again.
     */
    private static ServerSocket killAndTakePort(Path pidFile, int port) throws Exception {
        for (int tries = 0; tries < 10; tries++) {
            Optional<ProcessHandle> redis = ProcessHandle.of(pidOf(pidFile));
            if (redis.isPresent()) {
                redis.get().destroyForcibly();
                redis.get().onExit().get(10, TimeUnit.SECONDS);
            }
            ServerSocket squatter = new ServerSocket();
            try {
                squatter.bind(new InetSocketAddress("127.0.0.1", port));
                return squatter;
            } catch (BindException restartedFirst) {
                squatter.close();
                NodeProcess.sleep(Duration.ofMillis(300));
            }
        }
        throw new AssertionError("could not take port " + port + " from the restarted redis-server");
    }

    private static List<String> submit(SpindleApi api, int count) {
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            specs.add(SpindleApi.spec("cpu.sleep", i % 2 == 0 ? "e2e-java" : "e2e-python", SpindleApi.object().put("duration_ms", 300))
                    .put("idempotency_key", UUID.randomUUID().toString()));
        }
        return api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
    }

    private static String configOf(SpindleApi api, String id) {
        return api.job(id).get("config_id").asText();
    }

    private static SpindleApi.Response awaitReadiness(SpindleApi api, int status) {
        long deadline = System.nanoTime() + DOWN_TIMEOUT.toNanos();
        SpindleApi.Response last = null;
        while (System.nanoTime() < deadline) {
            last = api.readiness();
            if (last != null && last.status() == status) {
                return last;
            }
            NodeProcess.sleep(Duration.ofMillis(100));
        }
        throw new AssertionError("/ready did not answer " + status + " within " + DOWN_TIMEOUT + "; last: "
                + (last == null ? "unreachable" : last.status() + " " + last.body()));
    }

    /**
     * The pid the supervisor recorded for the restarted Redis: it writes the file once its new server answers, which
     * may be just after the node's readiness saw that server answer.
     */
    private static long awaitNewPid(Path pidFile, long oldPid) throws IOException {
        long deadline = System.nanoTime() + PID_FILE_WAIT.toNanos();
        long pid = pidOf(pidFile);
        while (pid == oldPid && System.nanoTime() < deadline) {
            NodeProcess.sleep(Duration.ofMillis(100));
            pid = pidOf(pidFile);
        }
        return pid;
    }

    private static long pidOf(Path pidFile) throws IOException {
        return Long.parseLong(Files.readString(pidFile).trim().split("\\s+")[0]);
    }

    private static int portOf(Path pidFile) throws IOException {
        return Integer.parseInt(Files.readString(pidFile).trim().split("\\s+")[1]);
    }
}
