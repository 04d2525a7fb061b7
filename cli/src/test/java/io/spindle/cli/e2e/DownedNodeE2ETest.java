package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A control + worker pair; the worker is frozen with SIGSTOP while it runs jobs, long past failure detection and
 * {@code stable-after}: the control node takes the lease and downs it. After SIGCONT the worker learns it was
 * downed and exits 70; restarted, it rejoins. Every job ends succeeded exactly once: the frozen node's jobs were
 * re-leased on the control node and the frozen node's late results are refused.
 */
class DownedNodeE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final String HOSTED = "{ config-id = \"e2e-java\", concurrency = 2, worker { builtin = \"java\" } }";
    private static final int JOBS = 8;
    /** Frozen this long: failure detection (~2.5 s) + stable-after (3 s) + the lease, with room to spare. */
    private static final Duration FROZEN = Duration.ofSeconds(15);

    private NodeProcess control;
    private NodeProcess worker;

    @AfterEach
    void stopNodes() {
        if (worker != null) {
            worker.close();
        }
        if (control != null) {
            control.close();
        }
    }

    @Test
    void aFrozenNodeIsDownedExitsSeventyAndRejoinsAfterARestart() {
        int controlPort = Backends.freePort();
        int workerPort = Backends.freePort();
        List<String> seeds = ClusterNodes.seeds(controlPort, workerPort);
        control = NodeProcess.node("control", ClusterNodes.config(BACKENDS, "control", controlPort, seeds,
                List.of("control", "worker"), HOSTED, ""));
        worker = NodeProcess.node("worker", ClusterNodes.config(BACKENDS, "worker", workerPort, seeds, List.of("worker"), HOSTED, ""));
        control.launch();
        worker.launch();
        control.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));
        SpindleApi api = new SpindleApi(control.apiUrl());
        ClusterManagementE2ETest.awaitTrue(() -> addresses(api).size() == 2, "both nodes in GET /cluster/nodes");

        Instant since = Instant.now();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            specs.add(SpindleApi.spec("cpu.sleep", "e2e-java", SpindleApi.object().put("duration_ms", 3000))
                    .put("idempotency_key", UUID.randomUUID().toString()));
        }
        List<String> ids = api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
        ClusterManagementE2ETest.awaitTrue(() -> ids.stream().anyMatch(id -> "worker".equals(leaseNode(api, id))),
                "a job leased on the worker node");

        worker.signal("STOP");
        NodeProcess.sleep(FROZEN);
        assertEquals(Set.of(control.clusterAddress()), addresses(api), "the frozen node was downed and removed");
        worker.signal("CONT");
        assertEquals(70, worker.awaitExit(Duration.ofSeconds(40)), "a downed node exits 70");

        Map<String, JsonNode> jobs = api.awaitAllTerminal("e2e-java", since, ids, Duration.ofSeconds(60));
        for (String id : ids) {
            assertEquals("succeeded", jobs.get(id).get("status").asText(), () -> jobs.get(id).toString());
            List<String> types = api.eventTypes(id);
            assertEquals(1, types.stream().filter("succeeded"::equals).count(), () -> "one completion of " + id + ": " + types);
        }

        worker.start();
        Set<String> both = new TreeSet<>(List.of(control.clusterAddress(), worker.clusterAddress()));
        ClusterManagementE2ETest.awaitTrue(() -> addresses(api).equals(both), "the restarted node rejoined");
        assertTrue(worker.isAlive());
    }

    private static String leaseNode(SpindleApi api, String id) {
        JsonNode lease = api.job(id).path("lease");
        return lease.isObject() ? lease.path("node").asText() : "";
    }

    private static Set<String> addresses(SpindleApi api) {
        Set<String> listed = new TreeSet<>();
        api.clusterNodes().get("nodes").forEach(n -> listed.add(n.get("address").asText()));
        return listed;
    }
}
