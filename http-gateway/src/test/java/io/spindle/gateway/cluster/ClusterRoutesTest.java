package io.spindle.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.node.directory.HostingDirectory;
import java.util.List;
import java.util.Set;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();

    @Test
    void nodesListsTheMembersWithTheirPublishedNameAndConfigs() {
        GatewayTestNode.await(HostingDirectory.get(NODE.system()).publish("gateway-test-node", Set.of("cfg-b", "cfg-a")));

        JsonNode self = eventually(() -> {
            JsonNode nodes = NODE.api().get("/cluster/nodes").expect(200).json().get("nodes");
            assertEquals(1, nodes.size());
            JsonNode node = nodes.get(0);
            assertTrue(node.has("up_since"), node.toString());
            return node;
        });

        assertEquals(Cluster.get(NODE.system()).selfMember().address().toString(), self.get("address").asText());
        assertEquals("gateway-test-node", self.get("node_name").asText());
        assertEquals("up", self.get("status").asText());
        assertTrue(self.get("reachable").asBoolean());
        assertTrue(self.get("self").asBoolean());
        assertEquals(List.of("control", "worker"), List.of(self.get("roles").get(0).asText(), self.get("roles").get(1).asText()));
        assertEquals(2, self.get("roles").size(), "Pekko's data-center role is not shown");
        assertEquals("cfg-a", self.get("hosted_configs").get(0).asText());
        assertEquals("cfg-b", self.get("hosted_configs").get(1).asText());
    }

    @Test
    void configsListsWhichNodesHostEachConfig() {
        GatewayTestNode.await(HostingDirectory.get(NODE.system()).publish("gateway-test-node", Set.of("cfg-b", "cfg-a")));

        JsonNode configs = NODE.api().get("/cluster/configs").expect(200).json().get("configs");

        assertEquals(2, configs.size());
        assertEquals("cfg-a", configs.get(0).get("config_id").asText());
        assertEquals("gateway-test-node", configs.get(0).get("nodes").get(0).asText());
        assertEquals("cfg-b", configs.get(1).get("config_id").asText());
        NODE.api().get("/cluster/configs?all=1").expectInvalidField("all");
    }

    @Test
    void memberStatusesAreSnakeCase() {
        assertEquals("weakly_up", ClusterRoutes.status(MemberStatus.weaklyUp()));
        assertEquals("up", ClusterRoutes.status(MemberStatus.up()));
    }

    private static <T> T eventually(java.util.function.Supplier<T> assertion) {
        long deadline = System.nanoTime() + GatewayTestNode.TIMEOUT.toNanos();
        while (true) {
            try {
                return assertion.get();
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
