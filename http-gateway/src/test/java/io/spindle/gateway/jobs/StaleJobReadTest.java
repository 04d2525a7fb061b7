package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.GatewaySettings;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.ApiResponse;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.gateway.testsupport.JournalGate;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobEvent;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobSpecValidator;
import io.spindle.model.json.Json;
import io.spindle.node.job.JobIds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /jobs/{id} when the job's entity cannot answer (docs/decisions/0012-availability-under-node-loss.md): the read
 * model's view, marked stale in the body and a header; when the entity answers, never stale. The entity is made
 * unable to answer by a held journal write, behind which its recovery waits, as behind an unreachable node.
 */
class StaleJobReadTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String HELD = "stale-held";
    private static final String PLAIN = "stale-plain";
    private static final Duration SHORT_ASK = Duration.ofMillis(500);

    private static Job projectedView() {
        JobSpec spec = JobSpecValidator.validate(JobSpec.of("cpu.echo", PLAIN, Json.object().put("text", "hi")));
        Job job = Job.submitted(new JobEvent.Submitted(JobIds.newId(), spec, 1, null, Instant.now()));
        GatewayTestNode.await(NODE.jobViews().putJobs(List.of(job)));
        return job;
    }

    @Test
    void aJobWhoseEntityDoesNotAnswerIsReadFromTheReadModelMarkedStale() throws Exception {
        NODE.config(HELD, "cpu.echo");
        NODE.config(PLAIN, "cpu.echo");
        GatewaySettings defaults = NODE.settings();
        ApiClient api = NODE.startGateway(defaults.withAskTimeout(SHORT_ASK), List.of());
        Job view = projectedView();
        try (JournalGate gate = JournalGate.closedFor(NODE.system(), HELD)) {
            CompletableFuture<ApiResponse> held = CompletableFuture.supplyAsync(() -> NODE.api().post("/jobs",
                    "{\"type\": \"cpu.echo\", \"config_id\": \"" + HELD + "\", \"input\": {}}"));
            gate.awaitHolding();

            ApiResponse read = api.get("/jobs/" + view.id()).expect(200);

            assertEquals("true", read.header(JobReads.STALE_HEADER).orElse(null));
            JsonNode job = read.json();
            assertTrue(job.get(JobReads.STALE_FIELD).asBoolean(), job::toString);
            assertEquals(view.id(), job.get("id").asText());
            assertEquals("queued", job.get("status").asText());
            gate.open();
            held.join();
        }
    }

    @Test
    void aJobWhoseEntityAnswersIsNeverStale() {
        NODE.config(PLAIN, "cpu.echo");
        JsonNode created = NODE.api().post("/jobs", "{\"type\": \"cpu.echo\", \"config_id\": \"" + PLAIN + "\", \"input\": {}}")
                .expect(201).json();

        ApiResponse read = NODE.api().get("/jobs/" + created.get("id").asText()).expect(200);

        assertTrue(read.header(JobReads.STALE_HEADER).isEmpty());
        assertFalse(read.json().has(JobReads.STALE_FIELD), read::body);
    }

    @Test
    void aJobInNeitherTheEntityNorTheReadModelIsNotFound() {
        NODE.api().get("/jobs/" + JobIds.newId()).expectError(404, "job_not_found");
    }
}
