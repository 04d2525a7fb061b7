package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.GatewayTestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JobBatchTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "batch-echo";

    private ApiClient api;
    private int ticketsBefore;

    @BeforeAll
    static void configs() {
        NODE.config(CONFIG, "cpu.echo");
    }

    @BeforeEach
    void setUp() {
        api = NODE.api();
        ticketsBefore = NODE.queue().tickets().size();
    }

    private static String spec(String text) {
        return "{\"type\": \"cpu.echo\", \"config_id\": \"" + CONFIG + "\", \"input\": {\"text\": \"" + text + "\"}}";
    }

    @Test
    void validItemsAreSubmittedAndInvalidOnesReportedInOrder() {
        String key = "batch-" + UUID.randomUUID();
        String body = "{\"jobs\": [" + String.join(", ",
                spec("one"),
                "{\"type\": \"cpu.echo\", \"config_id\": \"" + CONFIG + "\", \"input\": {}, \"priority\": \"high\"}",
                spec("three").replace(CONFIG, "no-such-config"),
                spec("four").replace("cpu.echo", "image.generate"),
                "null",
                spec("six").replace("}}", "}, \"idempotency_key\": \"" + key + "\"}")) + "]}";

        JsonNode result = api.post("/jobs/batch", body).expect(200).json();

        assertEquals(2, result.get("submitted").asInt());
        assertEquals(4, result.get("failed").asInt());
        JsonNode items = result.get("results");
        assertEquals(6, items.size());
        for (int i = 0; i < items.size(); i++) {
            assertEquals(i, items.get(i).get("index").asInt());
        }
        assertEquals(201, items.get(0).get("status").asInt());
        assertEquals("one", items.get(0).get("job").get("input").get("text").asText());
        assertFalse(items.get(0).has("error"));
        assertEquals(400, items.get(1).get("status").asInt());
        assertEquals("validation_failed", items.get(1).get("error").get("code").asText());
        assertTrue(items.get(1).get("error").get("details").get("fields").has("priority"), "fields are named relative to the item");
        assertFalse(items.get(1).has("job"));
        assertEquals("config_not_found", items.get(2).get("error").get("code").asText());
        assertEquals(404, items.get(2).get("status").asInt());
        assertEquals("job_type_not_served", items.get(3).get("error").get("code").asText());
        assertEquals(409, items.get(3).get("status").asInt());
        assertTrue(items.get(4).get("error").get("details").get("fields").has("body"));
        assertEquals(201, items.get(5).get("status").asInt());

        for (int i : new int[] {0, 5}) {
            String id = items.get(i).get("job").get("id").asText();
            assertEquals("queued", api.get("/jobs/" + id).expect(200).json().get("status").asText());
        }
        assertEquals(ticketsBefore + 2, NODE.queue().tickets().size(), "only the valid items were queued");

        JsonNode again = api.post("/jobs/batch", "{\"jobs\": [" + spec("six").replace("}}", "}, \"idempotency_key\": \"" + key + "\"}")
                + "]}").expect(200).json().get("results").get(0);
        assertEquals(200, again.get("status").asInt(), "a repeated key returns the existing job");
        assertEquals(items.get(5).get("job").get("id"), again.get("job").get("id"));
    }

    @Test
    void aMalformedEnvelopeRefusesTheWholeBatch() {
        api.post("/jobs/batch", "[" + spec("x") + "]").expectInvalidField("body");
        api.post("/jobs/batch", "{}").expectInvalidField("jobs");
        api.post("/jobs/batch", "{\"jobs\": []}").expectInvalidField("jobs");
        api.post("/jobs/batch", "{\"jobs\": " + spec("x") + "}").expectInvalidField("jobs");
        api.post("/jobs/batch", "{\"jobs\": [" + spec("x") + "], \"dry_run\": true}").expectInvalidField("dry_run");
        api.post("/jobs/batch", "{\"jobs\": [" + spec("x")).expectInvalidField("jobs");
        api.post("/jobs/batch", "{\"jobs\": [" + spec("x") + "]}", "Idempotency-Key", "k").expectError(400, "invalid_request");
        assertEquals(ticketsBefore, NODE.queue().tickets().size());
    }

    @Test
    void aBatchIsBoundedInCount() {
        int max = NODE.settings().batchMaxJobs();
        List<String> specs = new ArrayList<>();
        for (int i = 0; i <= max; i++) {
            specs.add(spec("n" + i));
        }

        assertTrue(api.post("/jobs/batch", "{\"jobs\": [" + String.join(",", specs) + "]}").expectInvalidField("jobs")
                .contains("at most " + max));
        assertEquals(ticketsBefore, NODE.queue().tickets().size());
    }
}
