package io.spindle.node.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.spindle.node.testsupport.LoopbackCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** HostingDirectory on real one- and two-member clusters in this JVM (Distributed Data gossips fast here). */
class HostingDirectoryTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Config CONFIG = LoopbackCluster.config("""
            pekko.cluster.distributed-data.gossip-interval = 100ms
            pekko.cluster.distributed-data.notify-subscribers-interval = 100ms
            pekko.cluster.gossip-interval = 200ms
            pekko.cluster.leader-actions-interval = 200ms
            pekko.coordinated-shutdown.terminate-actor-system = on
            pekko.coordinated-shutdown.run-by-actor-system-terminate = on
            """).withFallback(ConfigFactory.load());

    private ActorTestKit a;
    private ActorTestKit b;

    @AfterEach
    void shutdown() {
        if (b != null) {
            b.shutdownTestKit();
        }
        if (a != null) {
            a.shutdownTestKit();
        }
    }

    @Test
    void publishedConfigsAreListedByConfigWithTheNodeAndItsUpTime() throws Exception {
        a = startNode("a");
        join(a, a);

        await(HostingDirectory.get(a.system()).publish("node-a", Set.of("cfg-2", "cfg-1")));

        // Entries count once the member is in the cluster state, which can take a moment on a busy machine.
        eventually(() -> assertEquals(Map.of("cfg-1", Set.of("node-a"), "cfg-2", Set.of("node-a")),
                await(HostingDirectory.get(a.system()).nodesByConfig())));
        eventually(() -> {
            List<HostingDirectory.NodeEntry> nodes = await(HostingDirectory.get(a.system()).nodes());
            assertEquals(1, nodes.size());
            HostingDirectory.NodeEntry self = nodes.get(0);
            assertEquals("node-a", self.node());
            assertEquals(Cluster.get(a.system()).selfMember().address().toString(), self.address());
            assertEquals(List.of("cfg-1", "cfg-2"), List.copyOf(self.configIds()));
            assertNotNull(self.upSince(), "up-since is recorded once the node is up");
        });
    }

    @Test
    void publishingAgainReplacesTheNodesConfigs() throws Exception {
        a = startNode("a");
        join(a, a);
        HostingDirectory placement = HostingDirectory.get(a.system());

        await(placement.publish("node-a", Set.of("cfg-1")));
        await(placement.publish("node-a", Set.of("cfg-3")));

        eventually(() -> assertEquals(Map.of("cfg-3", Set.of("node-a")), await(placement.nodesByConfig())));
        assertThrows(IllegalArgumentException.class, () -> placement.publish(" ", Set.of()));

        // Once notified of the replica, a read is answered at once, without asking the Replicator (every submit reads).
        eventually(() -> assertTrue(placement.nodesByConfig().toCompletableFuture().isDone(), "a read without a message"));
        await(placement.publish("node-a", Set.of("cfg-4")));
        assertEquals(Map.of("cfg-4", Set.of("node-a")), await(placement.nodesByConfig()), "the node reads its own publish at once");
    }

    @Test
    void aNodeThatLeavesDisappearsFromPlacement() throws Exception {
        twoNodes();
        HostingDirectory.get(b.system()).publish("node-b", Set.of("cfg-shared", "cfg-b"));
        await(HostingDirectory.get(a.system()).publish("node-a", Set.of("cfg-shared")));
        eventually(() -> assertEquals(Map.of("cfg-b", Set.of("node-b"), "cfg-shared", Set.of("node-a", "node-b")),
                await(HostingDirectory.get(a.system()).nodesByConfig())));

        Cluster.get(b.system()).manager().tell(Leave.create(Cluster.get(b.system()).selfMember().address()));

        eventually(() -> assertEquals(Map.of("cfg-shared", Set.of("node-a")), await(HostingDirectory.get(a.system()).nodesByConfig())));
        eventually(() -> assertEquals(1, rawEntries(a.system()).size(), "the entry itself is deleted, not only hidden"));
    }

    @Test
    void aDownedNodeDisappearsFromPlacement() throws Exception {
        twoNodes();
        await(HostingDirectory.get(b.system()).publish("node-b", Set.of("cfg-b")));
        eventually(() -> assertEquals(Map.of("cfg-b", Set.of("node-b")), await(HostingDirectory.get(a.system()).nodesByConfig())));

        Cluster.get(a.system()).manager().tell(new Down(Cluster.get(b.system()).selfMember().address()));

        eventually(() -> assertEquals(Map.of(), await(HostingDirectory.get(a.system()).nodesByConfig())));
        eventually(() -> assertFalse(rawEntries(a.system()).values().stream().anyMatch(json -> json.contains("node-b"))));
    }

    private void twoNodes() {
        a = startNode("a");
        b = startNode("b");
        join(a, a);
        join(b, a);
        eventually(() -> {
            assertEquals(MemberStatus.up(), Cluster.get(b.system()).selfMember().status());
            assertEquals(2, countUp(a.system()));
        });
    }

    private static ActorTestKit startNode(String name) {
        return ActorTestKit.create("HostingDirectoryTest", ConfigFactory.parseString("spindle.node.name = node-" + name).withFallback(CONFIG));
    }

    private static void join(ActorTestKit node, ActorTestKit seed) {
        Cluster.get(node.system()).manager().tell(Join.create(Cluster.get(seed.system()).selfMember().address()));
    }

    private static long countUp(ActorSystem<?> system) {
        long n = 0;
        for (var m : Cluster.get(system).state().getMembers()) {
            if (m.status() == MemberStatus.up()) {
                n++;
            }
        }
        return n;
    }

    private static Map<String, String> rawEntries(ActorSystem<?> system) {
        var key = LWWMapKey.<String, String>create("spindle-hosting-directory");
        Replicator.GetResponse<LWWMap<String, String>> response = await(AskPattern.ask(DistributedData.get(system).replicator(),
                r -> new Replicator.Get<>(key, Replicator.readLocal(), r), TIMEOUT, system.scheduler()));
        assertTrue(response instanceof Replicator.GetSuccess, "placement data exists: " + response);
        return ((Replicator.GetSuccess<LWWMap<String, String>>) response).get(key).getEntries();
    }

    private static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void eventually(Runnable assertion) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
