package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three node processes; kill -9 of one while clients submit through another. Submits for configs hosted on the
 * live nodes keep succeeding: a refusal is only ever one that says what happened (429 nothing created, 503 outcome
 * unknown with the job id), only for a job whose entity's shard was on the killed node, and only in the window
 * before the resolver downs it. The killed node's jobs finish on another host of their config; every job ends
 * succeeded, each with exactly one {@code succeeded} event in its journal.
 */
class ClusterNodeLossE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final String JAVA = "{ config-id = \"e2e-java\", concurrency = 2, worker { builtin = \"java\" } }";
    private static final String PYTHON = "{ config-id = \"e2e-python\", concurrency = 2, worker { builtin = \"python\" } }";
    /** Short asks so a submit to the lost node's shards is answered within seconds. */
    private static final String ASKS = "spindle.gateway.ask-timeout = 3s\nspindle.jobs.ask-timeout = 3s";
    private static final int BEFORE_KILL = 40;
    private static final int SUBMITTERS = 4;
    private static final Duration SUBMITTING_FOR = Duration.ofSeconds(20);
    /**
     * From the kill until the killed node is downed and its shards have a new home: failure detection (~2.5 s),
     * stable-after (3 s), the lease, the removal, plus the asks in flight then (3 s, and as long to settle).
     */
    private static final Duration UNREACHABLE_WINDOW = Duration.ofSeconds(16);

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(NodeProcess::close);
    }

    /** One submit's first answer. */
    record Attempt(Instant at, String configId, int status, String body) {}

    @Test
    void killNineOfOneOfThreeNodesRefusesOnlyItsOwnShardsBrieflyAndLosesNoJob() throws Exception {
        int[] ports = {Backends.freePort(), Backends.freePort(), Backends.freePort()};
        List<String> seeds = ClusterNodes.seeds(ports[0], ports[1]);
        nodes.add(NodeProcess.node("node-1", ClusterNodes.config(BACKENDS, "node-1", ports[0], seeds, List.of("control", "worker"), JAVA, ASKS)));
        nodes.add(NodeProcess.node("node-2", ClusterNodes.config(BACKENDS, "node-2", ports[1], seeds, List.of("worker"), JAVA + "\n" + PYTHON, ASKS)));
        nodes.add(NodeProcess.node("node-3", ClusterNodes.config(BACKENDS, "node-3", ports[2], seeds, List.of("worker"), PYTHON, ASKS)));
        nodes.forEach(NodeProcess::launch);
        nodes.forEach(n -> n.awaitReady(Duration.ofSeconds(90)));
        SpindleApi api = new SpindleApi(nodes.get(0).apiUrl());
        ClusterManagementE2ETest.awaitTrue(() -> api.clusterNodes().get("nodes").size() == 3, "three nodes in GET /cluster/nodes");

        Instant since = Instant.now();
        List<ObjectNode> specs = new ArrayList<>();
        for (int i = 0; i < BEFORE_KILL; i++) {
            specs.add(sleep(i % 2 == 0 ? "e2e-java" : "e2e-python", 1500));
        }
        Map<String, String> configById = new java.util.concurrent.ConcurrentHashMap<>();
        api.submitAll(specs).forEach(j -> configById.put(j.get("id").asText(), j.get("config_id").asText()));
        List<String> ids = List.copyOf(configById.keySet());
        ClusterManagementE2ETest.awaitTrue(() -> ids.stream().anyMatch(id -> "node-3".equals(leaseNode(api, id))),
                "a job leased on node-3");

        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(SUBMITTERS);
        Instant killedAt;
        try {
            List<Future<?>> running = new ArrayList<>();
            Instant until = Instant.now().plus(SUBMITTING_FOR);
            for (int c = 0; c < SUBMITTERS; c++) {
                String configId = c % 2 == 0 ? "e2e-java" : "e2e-python";
                running.add(clients.submit(() -> {
                    while (Instant.now().isBefore(until)) {
                        ObjectNode spec = sleep(configId, 200);
                        SpindleApi.Response first = api.submitOnce(spec);
                        attempts.add(new Attempt(Instant.now(), configId, first.status(), first.body()));
                        JsonNode job = first.status() == 201 ? first.json() : api.submit(spec);
                        configById.put(job.get("id").asText(), configId);
                    }
                    return null;
                }));
            }
            NodeProcess.sleep(Duration.ofSeconds(2));
            killedAt = Instant.now();
            nodes.get(2).kill();
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }

        List<Attempt> refused = attempts.stream().filter(a -> a.status() != 201).toList();
        System.out.printf("submits during the kill: %d, refused at first: %d%n", attempts.size(), refused.size());
        refused.forEach(a -> System.out.println("  refused " + a));
        for (Attempt a : refused) {
            assertTrue(Set.of(429, 503).contains(a.status()), () -> "a refusal says whether the job exists: " + a);
            assertTrue(a.at().isBefore(killedAt.plus(UNREACHABLE_WINDOW)), () -> "refused after the window: " + a);
        }
        long afterWindow = attempts.stream().filter(a -> a.at().isAfter(killedAt.plus(UNREACHABLE_WINDOW))).count();
        assertTrue(afterWindow > 0, "submits went on after the window");

        Map<String, JsonNode> jobs = new HashMap<>();
        for (String configId : List.of("e2e-java", "e2e-python")) {
            List<String> ofConfig = configById.keySet().stream().filter(id -> configById.get(id).equals(configId)).toList();
            jobs.putAll(api.awaitAllTerminal(configId, since, ofConfig, Duration.ofSeconds(60)));
        }
        assertEquals(configById.size(), jobs.size(), "no job lost");
        for (String id : configById.keySet()) {
            assertEquals("succeeded", jobs.get(id).get("status").asText(), () -> jobs.get(id).toString());
            List<String> types = api.eventTypes(id);
            assertEquals(1, types.stream().filter("succeeded"::equals).count(), () -> "one completion of " + id + ": " + types);
        }
    }

    private static ObjectNode sleep(String configId, int millis) {
        return SpindleApi.spec("cpu.sleep", configId, SpindleApi.object().put("duration_ms", millis))
                .put("idempotency_key", UUID.randomUUID().toString());
    }

    private static String leaseNode(SpindleApi api, String id) {
        JsonNode lease = api.job(id).path("lease");
        return lease.isObject() ? lease.path("node").asText() : "";
    }
}
