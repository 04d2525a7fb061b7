package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.node.directory.HostingDirectory;
import io.spindle.node.metrics.SpindleMetrics;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job submitted for a config that no live node hosts is accepted with the {@code waiting_for_placement} warning,
 * counted once per created job, and shown with it on every read while it stays queued without a host; once a node
 * hosts the config the warning is gone. The hosting directory is the test node's own, published to as a node would.
 */
class PlacementWarningTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String UNHOSTED = "placement-unhosted";
    private static final String HOSTED = "placement-hosted";
    private static final String NODE_NAME = "placement-test-node";

    @AfterEach
    void hostNothing() {
        GatewayTestNode.await(HostingDirectory.get(NODE.system()).publish(NODE_NAME, Set.of()));
    }

    @Test
    void aJobForAConfigNoNodeHostsWaitsForPlacementUntilAHostAppears() {
        NODE.config(UNHOSTED, "cpu.echo");
        GatewayTestNode.await(HostingDirectory.get(NODE.system()).publish(NODE_NAME, Set.of(HOSTED)));
        double before = waitingCount(UNHOSTED);

        JsonNode created = NODE.api().post("/jobs", spec(UNHOSTED, null)).expect(201).json();

        assertEquals("[\"waiting_for_placement\"]", created.get(PlacementWarnings.FIELD).toString(), created::toString);
        assertEquals("queued", created.get("status").asText());
        assertEquals(before + 1, waitingCount(UNHOSTED), "the created job is counted");
        String id = created.get("id").asText();
        JsonNode read = NODE.api().get("/jobs/" + id).expect(200).json();
        assertEquals("[\"waiting_for_placement\"]", read.get(PlacementWarnings.FIELD).toString(), read::toString);

        GatewayTestNode.await(HostingDirectory.get(NODE.system()).publish(NODE_NAME, Set.of(HOSTED, UNHOSTED)));

        JsonNode placed = NODE.api().get("/jobs/" + id).expect(200).json();
        assertFalse(placed.has(PlacementWarnings.FIELD), placed::toString);
        assertEquals(before + 1, waitingCount(UNHOSTED));
    }

    @Test
    void aRepeatedSubmitShowsTheWarningButIsNotCountedAgain() {
        NODE.config(UNHOSTED, "cpu.echo");
        String key = UUID.randomUUID().toString();
        NODE.api().post("/jobs", spec(UNHOSTED, key)).expect(201);
        double afterFirst = waitingCount(UNHOSTED);

        JsonNode again = NODE.api().post("/jobs", spec(UNHOSTED, key)).expect(200).json();

        assertEquals("[\"waiting_for_placement\"]", again.get(PlacementWarnings.FIELD).toString(), again::toString);
        assertEquals(afterFirst, waitingCount(UNHOSTED));
    }

    @Test
    void aJobForAHostedConfigHasNoWarningAndIsNotCounted() {
        NODE.config(HOSTED, "cpu.echo");
        GatewayTestNode.await(HostingDirectory.get(NODE.system()).publish(NODE_NAME, Set.of(HOSTED)));
        double before = waitingCount(HOSTED);

        JsonNode created = NODE.api().post("/jobs", spec(HOSTED, null)).expect(201).json();

        assertFalse(created.has(PlacementWarnings.FIELD), created::toString);
        assertEquals(before, waitingCount(HOSTED));
    }

    @Test
    void batchItemsCarryTheWarningToo() {
        NODE.config(UNHOSTED, "cpu.echo");

        JsonNode result = NODE.api().post("/jobs/batch", "{\"jobs\": [" + spec(UNHOSTED, null) + "]}").expect(200).json();

        JsonNode job = result.get("results").get(0).get("job");
        assertEquals("[\"waiting_for_placement\"]", job.get(PlacementWarnings.FIELD).toString(), result::toString);
    }

    @Test
    void theCounterIsExposedOnMetrics() {
        NODE.config(UNHOSTED, "cpu.echo");
        NODE.api().post("/jobs", spec(UNHOSTED, null)).expect(201);

        String scrape = NODE.api().get("/metrics").expect(200).body();

        assertFalse(scrape.lines().noneMatch(l -> l.startsWith(PlacementWarnings.METRIC + "_total{config=\"" + UNHOSTED + "\"")), scrape);
    }

    private static String spec(String configId, String key) {
        String keyField = key == null ? "" : ", \"idempotency_key\": \"" + key + "\"";
        return "{\"type\": \"cpu.echo\", \"config_id\": \"" + configId + "\", \"input\": {\"text\": \"hi\"}" + keyField + "}";
    }

    private static double waitingCount(String configId) {
        var counter = SpindleMetrics.get(NODE.system()).registry().find(PlacementWarnings.METRIC).tag("config", configId).counter();
        return counter == null ? 0 : counter.count();
    }
}
