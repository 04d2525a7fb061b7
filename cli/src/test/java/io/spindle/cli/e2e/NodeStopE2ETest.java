package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node stopped with SIGTERM while its workers run jobs (a rolling restart): the running jobs are handed back
 * ({@code lease_released}) without spending an attempt, and all of them finish once the node is back, each once.
 */
class NodeStopE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final int JOBS = 6;
    private static final String HOSTED = """
            { config-id = "e2e-java", concurrency = 3, worker { builtin = "java" } }
            """;

    private NodeProcess node;

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aGracefulStopHandsRunningJobsBackWithoutSpendingAnAttempt() {
        Path config = BACKENDS.nodeConfig("node-1", Backends.freePort(), HOSTED, "");
        node = NodeProcess.node("node-1", config);
        SpindleApi api = new SpindleApi(node.start());
        Instant since = Instant.now();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            specs.add(SpindleApi.spec("cpu.sleep", "e2e-java", SpindleApi.object().put("duration_ms", 8_000))
                    .put("idempotency_key", UUID.randomUUID().toString()));
        }
        List<String> ids = api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
        awaitRunning(api, since, 3);

        assertEquals(NodeProcess.EXIT_ON_SIGTERM, node.stop(), "stops by itself on SIGTERM");
        api.baseUrl(node.start());

        Map<String, JsonNode> jobs = api.awaitAllTerminal("e2e-java", since, ids, Duration.ofSeconds(240));
        int released = 0;
        for (String id : ids) {
            JsonNode job = jobs.get(id);
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            assertEquals(1, job.get("attempt").asInt(), () -> "no attempt spent: " + job);
            List<String> types = api.eventTypes(id);
            assertFalse(types.contains("retry_scheduled"), () -> id + ": " + types);
            assertEquals(1, types.stream().filter("succeeded"::equals).count(), () -> "one completion of " + id + ": " + types);
            released += types.contains("lease_released") ? 1 : 0;
        }
        assertTrue(released >= 1, "the jobs running at the stop were handed back: " + released);
    }

    private static void awaitRunning(SpindleApi api, Instant since, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (api.jobsOf("e2e-java", since).stream().filter(j -> "running".equals(j.get("status").asText())).count() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fewer than " + count + " jobs running within 60s");
            }
            NodeProcess.sleep(Duration.ofMillis(200));
        }
    }
}
