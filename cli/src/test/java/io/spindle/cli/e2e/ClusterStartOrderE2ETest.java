package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A GPU node started before the control node waits for its seeds (it is not ready, and does not exit) and joins
 * once the control node is up; a job submitted on the control node then runs on the GPU node, its config's only host.
 */
class ClusterStartOrderE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    /** Long enough for the GPU node to have asked its seeds several times (retry-unsuccessful-join-after = 2s). */
    private static final Duration ALONE_FOR = Duration.ofSeconds(10);

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
    void aGpuNodeStartedBeforeTheControlNodeJoinsOnceItIsUp() {
        int controlPort = Backends.freePort();
        int gpuPort = Backends.freePort();
        List<String> seeds = ClusterNodes.seeds(controlPort, gpuPort);
        gpu = NodeProcess.node("gpu-a", ClusterNodes.config(BACKENDS, "gpu-a", gpuPort, seeds, List.of("worker"),
                "{ config-id = \"e2e-python\", concurrency = 1, worker { builtin = \"python\" } }", ""));
        control = NodeProcess.node("control", ClusterNodes.config(BACKENDS, "control", controlPort, seeds,
                List.of("control", "worker"), "{ config-id = \"e2e-java\", concurrency = 1, worker { builtin = \"java\" } }", ""));

        gpu.launch();
        NodeProcess.sleep(ALONE_FOR);
        assertTrue(gpu.isAlive(), () -> "the GPU node waits for its seed nodes instead of exiting\n" + gpu.tail());
        assertFalse(gpu.printedReady(), "the GPU node is not ready before it joined a cluster");

        control.launch();
        control.awaitReady(Duration.ofSeconds(60));
        gpu.awaitReady(Duration.ofSeconds(60));
        SpindleApi api = new SpindleApi(control.apiUrl());
        Set<String> expected = new TreeSet<>(List.of(control.clusterAddress(), gpu.clusterAddress()));
        ClusterManagementE2ETest.awaitTrue(() -> addresses(api).equals(expected), "GET /cluster/nodes lists both nodes");

        JsonNode job = api.submit(SpindleApi.spec("cpu.echo", "e2e-python", SpindleApi.object().put("text", "hello"))
                .put("idempotency_key", UUID.randomUUID().toString()));
        JsonNode done = api.awaitTerminal(job.get("id").asText(), Duration.ofSeconds(40));
        assertEquals("succeeded", done.get("status").asText(), done::toString);
    }

    private static Set<String> addresses(SpindleApi api) {
        Set<String> listed = new TreeSet<>();
        api.clusterNodes().get("nodes").forEach(n -> listed.add(n.get("address").asText()));
        return listed;
    }
}
