package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A GPU node started before the control node waits for its seeds (it is not ready, and does not exit) and joins
 * once the control node is up; jobs submitted on the control node then run on the GPU node, their config's only
 * host, and their run metrics are counted there, not on the control node. A job for a config no node hosts is
 * accepted with the {@code waiting_for_placement} warning.
 */
class ClusterStartOrderE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    /** Long enough for the GPU node to have asked its seeds several times (retry-unsuccessful-join-after = 2s). */
    private static final Duration ALONE_FOR = Duration.ofSeconds(10);
    /** Enough jobs that their entities land on both nodes. */
    private static final int JOBS = 12;

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

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add(api.submit(SpindleApi.spec("cpu.echo", "e2e-python", SpindleApi.object().put("text", "hello " + i))
                    .put("idempotency_key", UUID.randomUUID().toString())).get("id").asText());
        }
        for (String id : ids) {
            JsonNode done = api.awaitTerminal(id, Duration.ofSeconds(60));
            assertEquals("succeeded", done.get("status").asText(), done::toString);
        }

        // Run metrics are where the jobs ran, the GPU node, though their entities live on both nodes.
        String python = "config=\"e2e-python\"";
        String gpuMetrics = new SpindleApi(gpu.apiUrl()).metrics();
        String controlMetrics = api.metrics();
        assertEquals(JOBS, SpindleApi.sample(gpuMetrics, "spindle_jobs_finished_total", python, "outcome=\"succeeded\""), gpuMetrics);
        assertEquals(JOBS, SpindleApi.sample(gpuMetrics, "spindle_job_run_seconds_count", python), gpuMetrics);
        assertEquals(JOBS, SpindleApi.sample(gpuMetrics, "spindle_job_submit_to_start_seconds_count", python), gpuMetrics);
        assertEquals(0, SpindleApi.sample(controlMetrics, "spindle_jobs_finished_total", python), controlMetrics);
        assertEquals(0, SpindleApi.sample(controlMetrics, "spindle_job_run_seconds_count", python), controlMetrics);
        assertTrue(SpindleApi.sample(controlMetrics, "spindle_jobs_submitted_total", python) > 0,
                () -> "some of the jobs' entities live on the control node\n" + controlMetrics);
        assertEquals(JOBS, SpindleApi.sample(gpuMetrics, "spindle_jobs_submitted_total", python)
                + SpindleApi.sample(controlMetrics, "spindle_jobs_submitted_total", python), "submits are counted where the entity lives");

        // A config no live node hosts: accepted, with the warning, and counted where it was submitted.
        JsonNode waiting = api.submit(SpindleApi.spec("cpu.echo", "e2e-unhosted", SpindleApi.object().put("text", "later"))
                .put("idempotency_key", UUID.randomUUID().toString()));
        assertEquals("[\"waiting_for_placement\"]", waiting.path("warnings").toString(), waiting::toString);
        assertEquals("[\"waiting_for_placement\"]", api.job(waiting.get("id").asText()).path("warnings").toString());
        assertEquals(1, SpindleApi.sample(api.metrics(), "spindle_jobs_waiting_for_placement_total", "config=\"e2e-unhosted\""));
    }

    private static Set<String> addresses(SpindleApi api) {
        Set<String> listed = new TreeSet<>();
        api.clusterNodes().get("nodes").forEach(n -> listed.add(n.get("address").asText()));
        return listed;
    }
}
