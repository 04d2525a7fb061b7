package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A cold start of a whole 3-node cluster with 1,000 pending jobs: the jobs are for a config no node hosts, so they
 * stay queued; every node is stopped, then all are started again, and every job is read through the API from its
 * entity (200, not stale: one its entity did not answer in time is answered stale from the read model first, and read
 * again), still queued and still waiting for placement. How long that takes is a figure for the
 * benchmarks (printed; docs/performance.md), not a timed assertion: the test only refuses a start that leaves jobs
 * unreadable for {@link #READABLE_WITHIN}, as 1000 shards placed one at a time and remembered entities once did
 * (docs/decisions/0019-a-hundred-shards.md).
 */
class ClusterColdStartE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final String HOSTED = "{ config-id = \"e2e-java\", concurrency = 1, worker { builtin = \"java\" } }";
    private static final int JOBS = 1000;
    private static final Duration READABLE_WITHIN = Duration.ofSeconds(60);
    /** Concurrent readers, as a client pool or a dashboard reads: the figure is how soon every job is served. */
    private static final int READERS = 32;
    private static final Duration STALE_REREAD = Duration.ofMillis(200);

    private final AtomicInteger staleFirst = new AtomicInteger();
    /** When each job was read from its entity, in ms after the last node was ready. */
    private final List<Long> readAtMillis = new CopyOnWriteArrayList<>();

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
                reads.add(readers.submit(() -> readFromEntity(through, id, readyAt)));
            }
            List<JsonNode> jobs = new ArrayList<>();
            for (Future<JsonNode> read : reads) {
                jobs.add(read.get());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - readyAt);
            List<Long> readAt = readAtMillis.stream().sorted().toList();
            System.out.printf("%d jobs read from their entities after the cold start in %d ms, %d of them stale first;"
                            + " the first after %d ms, the 100th %d, the 500th %d, the 900th %d%n",
                    JOBS, took.toMillis(), staleFirst.get(), readAt.get(0), readAt.get(99), readAt.get(499), readAt.get(899));
            for (JsonNode job : jobs) {
                assertEquals("queued", job.get("status").asText(), job::toString);
                assertEquals("[\"waiting_for_placement\"]", job.path("warnings").toString(), job::toString);
            }
            assertTrue(took.compareTo(READABLE_WITHIN) <= 0, () -> "every job readable within " + READABLE_WITHIN + ", took " + took);
        } finally {
            readers.shutdownNow();
        }
    }

    /**
     * Reads a job until its entity answers. A read its entity did not answer within the ask timeout is answered
     * from the read model, marked stale (decision 0012): readable, but counted, and read again.
     */
    private JsonNode readFromEntity(SpindleApi api, String id, long readyAt) throws InterruptedException {
        boolean first = true;
        while (true) {
            SpindleApi.Response r = api.retrying("GET", "/jobs/" + id, null);
            assertEquals(200, r.status(), () -> "GET /jobs/" + id + ": " + r.body());
            if (!r.json().has("stale")) {
                readAtMillis.add(Duration.ofNanos(System.nanoTime() - readyAt).toMillis());
                return r.json();
            }
            if (first) {
                staleFirst.incrementAndGet();
                first = false;
            }
            assertTrue(System.nanoTime() - readyAt < READABLE_WITHIN.toNanos(),
                    () -> "job " + id + " still read stale " + READABLE_WITHIN + " after the cold start: " + r.body());
            Thread.sleep(STALE_REREAD.toMillis());
        }
    }

    private void startAll() {
        nodes.forEach(NodeProcess::launch);
        nodes.forEach(n -> n.awaitReady(Duration.ofSeconds(120)));
    }
}
