package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cold start of a whole 3-node cluster with 1,000 pending jobs: the jobs are for a config no node hosts, so they
 * stay queued; every node is stopped, then all are started again, and every job is read through the API from its
 * entity (200, not stale), still queued and still waiting for placement. How long that takes is a figure for the
 * benchmarks (printed; docs/performance.md), not a timed assertion: the test only refuses a start that leaves jobs
 * unreadable for {@link #READABLE_WITHIN}, as 1000 shards placed one at a time and remembered entities once did.
 */
class ClusterColdStartE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final String HOSTED = "{ config-id = \"e2e-java\", concurrency = 1, worker { builtin = \"java\" } }";
    private static final int JOBS = 1000;
    private static final Duration READABLE_WITHIN = Duration.ofSeconds(60);
    private static final int READERS = 8;

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(NodeProcess::close);
    }

    @Test
    void everyPendingJobIsReadableFromItsEntityAfterAColdStart() throws Exception {
        int[] ports = {Backends.freePort(), Backends.freePort(), Backends.freePort()};
        List<String> seeds = ClusterNodes.seeds(ports[0], ports[1]);
        for (int i = 0; i < ports.length; i++) {
            String name = "node-" + (i + 1);
            List<String> roles = i == 0 ? List.of("control", "worker") : List.of("worker");
            nodes.add(NodeProcess.node(name, ClusterNodes.config(BACKENDS, name, ports[i], seeds, roles, HOSTED, "")));
        }
        startAll();
        SpindleApi api = new SpindleApi(nodes.get(0).apiUrl());
        ClusterManagementE2ETest.awaitTrue(() -> api.clusterNodes().get("nodes").size() == 3, "three nodes in GET /cluster/nodes");

        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            specs.add(SpindleApi.spec("cpu.echo", "e2e-unhosted", SpindleApi.object().put("text", "pending " + i))
                    .put("idempotency_key", UUID.randomUUID().toString()));
        }
        List<String> ids = api.submitAll(specs).stream().map(j -> j.get("id").asText()).toList();
        assertEquals(JOBS, ids.size());

        for (NodeProcess node : nodes) {
            node.stop();
        }
        startAll();
        long readyAt = System.nanoTime();

        List<SpindleApi> apis = nodes.stream().map(n -> new SpindleApi(n.apiUrl())).toList();
        ExecutorService readers = Executors.newFixedThreadPool(READERS);
        List<Future<JsonNode>> reads = new ArrayList<>();
        try {
            for (int i = 0; i < ids.size(); i++) {
                SpindleApi through = apis.get(i % apis.size());
                String id = ids.get(i);
                reads.add(readers.submit(() -> {
                    SpindleApi.Response r = through.retrying("GET", "/jobs/" + id, null);
                    assertEquals(200, r.status(), () -> "GET /jobs/" + id + ": " + r.body());
                    return r.json();
                }));
            }
            List<JsonNode> jobs = new ArrayList<>();
            for (Future<JsonNode> read : reads) {
                jobs.add(read.get());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - readyAt);
            long stale = jobs.stream().filter(j -> j.has("stale")).count();
            System.out.printf("%d jobs read after the cold start in %d ms, %d of them stale%n", JOBS, took.toMillis(), stale);
            for (JsonNode job : jobs) {
                assertFalse(job.has("stale"), () -> stale + " of " + JOBS + " reads stale, e.g. " + job);
                assertEquals("queued", job.get("status").asText(), job::toString);
                assertEquals("[\"waiting_for_placement\"]", job.path("warnings").toString(), job::toString);
            }
            assertTrue(took.compareTo(READABLE_WITHIN) <= 0, () -> "every job readable within " + READABLE_WITHIN + ", took " + took);
        } finally {
            readers.shutdownNow();
        }
    }

    private void startAll() {
        nodes.forEach(NodeProcess::launch);
        nodes.forEach(n -> n.awaitReady(Duration.ofSeconds(120)));
    }
}
