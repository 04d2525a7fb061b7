package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A node killed with SIGKILL while jobs are queued, leased and running (no shutdown hook, no coordinated
 * shutdown, workers orphaned), then started again on the same backends: every job ends terminal, none is
 * lost, and none completes twice (one Succeeded event per job in its journaled history).
 */
class NodeCrashE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final int JOBS = 160;
    private static final String HOSTED = """
            { config-id = "e2e-java", concurrency = 3, worker { builtin = "java" } }
            { config-id = "e2e-python", concurrency = 3, worker { builtin = "python" } }
            """;

    private NodeProcess node;

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void afterAKillNineAndARestartEveryJobEndsExactlyOnce() {
        Path config = BACKENDS.nodeConfig("node-1", Backends.freePort(), HOSTED, "");
        node = NodeProcess.node("node-1", config);
        SpindleApi api = new SpindleApi(node.start());
        Instant since = Instant.now();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ObjectNode input = SpindleApi.object().put("duration_ms", 800);
            specs.add(SpindleApi.spec("cpu.sleep", i % 2 == 0 ? "e2e-java" : "e2e-python", input)
                    .put("idempotency_key", UUID.randomUUID().toString()));
        }
        List<String> ids = api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
        List<String> javaIds = new ArrayList<>();
        List<String> pythonIds = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            (i % 2 == 0 ? javaIds : pythonIds).add(ids.get(i));
        }
        // Kill once work is under way, with most jobs still queued or in flight. Any job past queued will do: a batch's
        // jobs reach their queue in no set order, so the first id submitted may be among the last ones taken.
        awaitWorkUnderWay(api, since, Duration.ofSeconds(60));
        NodeProcess.sleep(Duration.ofSeconds(1));
        long unfinished = JOBS - countTerminal(api, since);
        assertTrue(unfinished >= 100, "jobs in flight when the node is killed: " + unfinished);

        node.kill();
        api.baseUrl(node.start());

        Map<String, JsonNode> jobs = new HashMap<>();
        jobs.putAll(api.awaitAllTerminal("e2e-java", since, javaIds, Duration.ofSeconds(240)));
        jobs.putAll(api.awaitAllTerminal("e2e-python", since, pythonIds, Duration.ofSeconds(240)));
        assertEquals(JOBS, jobs.size(), "no job lost");
        for (String id : ids) {
            JsonNode job = jobs.get(id);
            assertEquals("succeeded", job.get("status").asText(), job::toString);
            List<String> types = api.eventTypes(id);
            assertEquals(1, types.stream().filter("succeeded"::equals).count(), () -> "one completion of " + id + ": " + types);
            assertEquals("submitted", types.get(0));
        }
    }

    /** Waits until the read model shows some job of either config past queued. */
    private static void awaitWorkUnderWay(SpindleApi api, Instant since, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            for (String config : List.of("e2e-java", "e2e-python")) {
                if (api.jobsOf(config, since).stream().anyMatch(j -> !"queued".equals(j.get("status").asText()))) {
                    return;
                }
            }
            NodeProcess.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError("no job left queued within " + timeout);
    }

    /** The jobs the read model shows ended; one it has not projected yet is not among them (so not ended either). */
    private static long countTerminal(SpindleApi api, Instant since) {
        long ended = 0;
        for (String config : List.of("e2e-java", "e2e-python")) {
            ended += api.jobsOf(config, since).stream().filter(j -> SpindleApi.TERMINAL.contains(j.get("status").asText())).count();
        }
        return ended;
    }
}
