package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.gateway.testsupport.JournalGate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every submit has an idempotency key: the client's or one the gateway makes and returns. A submit whose outcome is
 * unknown (503) names the job id and the key, and a retry with that key never creates a second job.
 */
class IdempotentSubmitTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String PLAIN = "idem-plain";
    private static final String HELD = "idem-held";
    private static final Duration SHORT = Duration.ofMillis(400);

    private static String spec(String configId) {
        return "{\"type\": \"cpu.echo\", \"config_id\": \"" + configId + "\", \"input\": {}}";
    }

    @Test
    void aSubmitWithoutAKeyGetsOneAndARetryWithItReturnsTheSameJob() {
        NODE.config(PLAIN, "cpu.echo");
        ApiResponse first = NODE.api().post("/jobs", spec(PLAIN)).expect(201);
        String key = first.header(JobRoutes.IDEMPOTENCY_KEY).orElseThrow(() -> new AssertionError("no key returned"));
        assertEquals(key, first.json().get("idempotency_key").asText());

        ApiResponse retry = NODE.api().post("/jobs", spec(PLAIN), JobRoutes.IDEMPOTENCY_KEY, key).expect(200);

        assertEquals(first.json().get("id").asText(), retry.json().get("id").asText());
        assertEquals(key, retry.header(JobRoutes.IDEMPOTENCY_KEY).orElse(null));
    }

    @Test
    void theClientsKeyIsReturnedAsGiven() {
        NODE.config(PLAIN, "cpu.echo");
        ApiResponse created = NODE.api().post("/jobs", spec(PLAIN), JobRoutes.IDEMPOTENCY_KEY, "client-key-1").expect(201);

        assertEquals("client-key-1", created.header(JobRoutes.IDEMPOTENCY_KEY).orElse(null));
    }

    @Test
    void anUnknownOutcomeNamesTheJobAndKeyAndARetryWithTheKeyCreatesNoSecondJob() throws Exception {
        NODE.config(HELD, "cpu.echo");
        GatewaySettings defaults = NODE.settings();
        ApiClient api = NODE.startGateway(defaults.withAskTimeout(SHORT)
                .withAdmission(defaults.admission().withResolveTimeout(SHORT)), List.of());
        JsonNode unknown;
        JournalGate gate = JournalGate.closedFor(NODE.system(), HELD);
        try {
            // The held write is the submit's own: neither the submit nor the question whether it exists is answered.
            unknown = api.post("/jobs", spec(HELD)).expectError(503, "unavailable");
            gate.awaitHolding();
        } finally {
            gate.close();
        }
        JsonNode details = unknown.get("details");
        String jobId = details.get("job_id").asText();
        String key = details.get(SubmitAdmission.IDEMPOTENCY_KEY_DETAIL).asText();
        assertTrue(unknown.get("message").asText().contains(key), unknown::toString);
        assertEquals(List.of(jobId), gate.submittedJobIds(), "the unanswered submit was written once the store let it");

        ApiResponse retry = NODE.api().post("/jobs", spec(HELD), JobRoutes.IDEMPOTENCY_KEY, key);

        assertEquals(200, retry.status(), retry::body);
        assertEquals(jobId, retry.json().get("id").asText());
        JsonNode events = NODE.api().get("/jobs/" + jobId + "/events").expect(200).json();
        assertEquals(1, countType(events, "submitted"), events::toString);
    }

    private static long countType(JsonNode events, String type) {
        long n = 0;
        for (JsonNode e : events.get("events")) {
            if (type.equals(e.get("type").asText())) {
                n++;
            }
        }
        return n;
    }
}
