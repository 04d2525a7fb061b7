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
 * The other half of a control + GPU pair's promise (the GPU node's loss is {@link DownedNodeE2ETest}): kill -9 of
 * the control node while the GPU node runs jobs. As lease-majority promises (docs/deploy.md, "Split-brain
 * strategy"), the GPU node takes the Redis lease, downs the control node and goes on alone — it is never downed
 * itself — and keeps taking submits for its config. Its in-flight jobs end succeeded, each exactly once in the
 * journal. The control node, restarted, joins the GPU node's cluster (one cluster, seen the same from both
 * sides, not two), and work for the config only it hosts runs again.
 */
class ControlNodeLossE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final String CONTROL_HOSTED = "{ config-id = \"e2e-java\", concurrency = 1, worker { builtin = \"java\" } }";
    private static final String GPU_HOSTED = "{ config-id = \"e2e-python\", concurrency = 2, worker { builtin = \"python\" } }";
    private static final int JOBS = 8;
    /** Failure detection (~2.5 s) + stable-after (3 s) + the lease and the removal, with room for a loaded machine. */
    private static final Duration DOWNED_WITHIN = Duration.ofSeconds(40);

    private NodeProcess control;
    private NodeProcess gpu;

    @AfterEach
    void stopNodes() {
        if (gpu != null) {
            gpu.close();
        }
        if (control != null) {
            control.close();
        }
    }

    @Test
    void theGpuNodeSurvivesTheControlNodesDeathKeepsItsJobsAndTheRestartedControlNodeRejoins() {
        int controlPort = Backends.freePort();
        int gpuPort = Backends.freePort();
        // The control node first, a GPU node second: a restarted control node rejoins instead of forming a cluster.
        List<String> seeds = ClusterNodes.seeds(controlPort, gpuPort);
        // Pekko lets the first seed node form a new cluster when no other seed answers within seed-node-timeout: with
        // 10 ms a restarted control node would always do so, beside the GPU node's cluster on the same stores, unless
        // it reads the member roster first (ClusterJoin) and joins the live GPU node instead.
        control = NodeProcess.node("control", ClusterNodes.config(BACKENDS, "control", controlPort, seeds,
                List.of("control", "worker"), CONTROL_HOSTED, "pekko.cluster.seed-node-timeout = 10ms"));
        gpu = NodeProcess.node("gpu", ClusterNodes.config(BACKENDS, "gpu", gpuPort, seeds, List.of("worker"), GPU_HOSTED, ""));
        control.launch();
        gpu.launch();
        control.awaitReady(Duration.ofSeconds(90));
        gpu.awaitReady(Duration.ofSeconds(90));
        SpindleApi viaGpu = new SpindleApi(gpu.apiUrl());
        Set<String> both = new TreeSet<>(List.of(control.clusterAddress(), gpu.clusterAddress()));
        ClusterManagementE2ETest.awaitTrue(() -> addresses(viaGpu).equals(both), "both nodes in GET /cluster/nodes");

        Instant since = Instant.now();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            specs.add(sleep("e2e-python", 3000));
        }
        List<String> ids = new ArrayList<>(viaGpu.submitAll(specs).stream().map(j -> j.get("id").asText()).toList());
        ClusterManagementE2ETest.awaitTrue(() -> ids.stream().anyMatch(id -> "gpu".equals(leaseNode(viaGpu, id))),
                "a job leased on the GPU node");

        control.kill();
        ClusterManagementE2ETest.awaitTrue(() -> addresses(viaGpu).equals(Set.of(gpu.clusterAddress())), DOWNED_WITHIN,
                "the GPU node took the lease and downed the control node");
        assertTrue(gpu.isAlive(), () -> "the GPU node, holding the lease, stays up\n" + gpu.tail());
        SpindleApi.Response ready = viaGpu.readiness();
        assertEquals(200, ready == null ? -1 : ready.status(), () -> "the GPU node is ready alone: " + ready);

        // Alone, it takes and runs work for its config.
        ids.add(viaGpu.submit(sleep("e2e-python", 200)).get("id").asText());
        Map<String, JsonNode> jobs = viaGpu.awaitAllTerminal("e2e-python", since, ids, Duration.ofSeconds(120));
        for (String id : ids) {
            assertEquals("succeeded", jobs.get(id).get("status").asText(), () -> jobs.get(id).toString());
            List<String> types = viaGpu.eventTypes(id);
            assertEquals(1, types.stream().filter("succeeded"::equals).count(), () -> "one completion of " + id + ": " + types);
        }
        assertTrue(gpu.isAlive(), () -> "the GPU node was never downed\n" + gpu.tail());

        control.start();
        SpindleApi viaControl = new SpindleApi(control.apiUrl());
        Set<String> again = new TreeSet<>(List.of(control.clusterAddress(), gpu.clusterAddress()));
        ClusterManagementE2ETest.awaitTrue(() -> addresses(viaGpu).equals(again) && addresses(viaControl).equals(again),
                "the restarted control node joined the GPU node's cluster, seen so from both nodes");

        // Work continues: a job only the control node hosts, submitted on the GPU node, and one the other way round.
        JsonNode onControl = viaGpu.awaitTerminal(viaGpu.submit(sleep("e2e-java", 100)).get("id").asText(), Duration.ofSeconds(60));
        assertEquals("succeeded", onControl.get("status").asText(), onControl::toString);
        JsonNode onGpu = viaControl.awaitTerminal(viaControl.submit(sleep("e2e-python", 100)).get("id").asText(), Duration.ofSeconds(60));
        assertEquals("succeeded", onGpu.get("status").asText(), onGpu::toString);
        assertTrue(gpu.isAlive());
    }

    private static ObjectNode sleep(String configId, int millis) {
        return SpindleApi.spec("cpu.sleep", configId, SpindleApi.object().put("duration_ms", millis))
                .put("idempotency_key", UUID.randomUUID().toString());
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
