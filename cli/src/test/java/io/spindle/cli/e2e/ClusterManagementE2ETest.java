package io.spindle.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiReply;
import io.spindle.cli.client.SpindleClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three node processes on loopback managed over their management port as {@code spindle cluster} does it: the
 * members are listed, one member leaves (its process stops cleanly), another is downed (its process exits 70),
 * and each change shows in the API's {@code GET /cluster/nodes} of the remaining node.
 */
class ClusterManagementE2ETest {
    @RegisterExtension
    static final Backends BACKENDS = new Backends();
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);
    private static final String HOSTED = "{ config-id = \"e2e-java\", concurrency = 1, worker { builtin = \"java\" } }";

    private final List<NodeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodes() {
        nodes.forEach(NodeProcess::close);
    }

    @Test
    void membersAreListedAndAMemberLeavesAndAnotherIsDownedEachShownInClusterNodes() {
        int[] ports = {Backends.freePort(), Backends.freePort(), Backends.freePort()};
        List<String> seeds = ClusterNodes.seeds(ports[0], ports[1]);
        for (int i = 0; i < 3; i++) {
            List<String> roles = i == 0 ? List.of("control", "worker") : List.of("worker");
            nodes.add(NodeProcess.node("node-" + (i + 1),
                    ClusterNodes.config(BACKENDS, "node-" + (i + 1), ports[i], seeds, roles, HOSTED, "")));
        }
        nodes.forEach(NodeProcess::launch);
        nodes.forEach(n -> n.awaitReady(Duration.ofSeconds(90)));
        SpindleApi api = new SpindleApi(nodes.get(0).apiUrl());
        SpindleClient management = new SpindleClient(URI.create(nodes.get(0).managementUrl()), null);

        awaitTrue(() -> upMembers(management).size() == 3, "three members Up in GET /cluster/members");
        Set<String> addresses = new TreeSet<>(nodes.stream().map(NodeProcess::clusterAddress).toList());
        assertEquals(addresses, upMembers(management));
        awaitTrue(() -> clusterNodes(api).equals(addresses), "GET /cluster/nodes lists the three members");

        NodeProcess leaving = nodes.get(2);
        ApiReply left = management.leave(member(leaving));
        assertEquals(200, left.status(), left::body);
        assertEquals(0, leaving.awaitExit(EXIT_TIMEOUT), "a node that left the cluster stops cleanly");
        awaitTrue(() -> !clusterNodes(api).contains(leaving.clusterAddress()), "GET /cluster/nodes without the node that left");

        NodeProcess downed = nodes.get(1);
        ApiReply down = management.down(member(downed));
        assertEquals(200, down.status(), down::body);
        assertEquals(70, downed.awaitExit(EXIT_TIMEOUT), "a downed node exits 70 so its supervisor restarts it");
        awaitTrue(() -> clusterNodes(api).equals(Set.of(nodes.get(0).clusterAddress())), "GET /cluster/nodes lists the last node");
        assertEquals(Set.of(nodes.get(0).clusterAddress()), upMembers(management));
    }

    /** Pekko Management names a member {@code system@host:port} in paths. */
    private static String member(NodeProcess node) {
        return node.clusterAddress().substring("pekko://".length());
    }

    private static Set<String> upMembers(SpindleClient management) {
        ApiReply reply = management.members();
        assertEquals(200, reply.status(), reply::body);
        Set<String> up = new TreeSet<>();
        for (JsonNode m : reply.json().get("members")) {
            if ("Up".equals(m.get("status").asText())) {
                up.add(m.get("node").asText());
            }
        }
        return up;
    }

    private static Set<String> clusterNodes(SpindleApi api) {
        Set<String> listed = new TreeSet<>();
        for (JsonNode n : api.clusterNodes().get("nodes")) {
            listed.add(n.get("address").asText());
        }
        return listed;
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        awaitTrue(condition, CHANGE_TIMEOUT, what);
    }

    static void awaitTrue(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            NodeProcess.sleep(Duration.ofMillis(300));
        }
    }
}
