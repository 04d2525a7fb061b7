package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /jobs/{id}, cancel and requeue, with a stand-in worker driving the job's entity. */
class JobLifecycleRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "lifecycle-echo";

    private ApiClient api;

    @BeforeAll
    static void configs() {
        NODE.config(CONFIG, "cpu.echo");
    }

    @BeforeEach
    void setUp() {
        api = NODE.api();
    }

    private String submit(int maxAttempts) {
        return api.post("/jobs", "{\"type\": \"cpu.echo\", \"config_id\": \"" + CONFIG + "\", \"input\": {}, \"max_attempts\": "
                + maxAttempts + "}").expect(201).json().get("id").asText();
    }

    @Test
    void getShowsEveryTransitionAtOnce() {
        String id = submit(3);
        Job leased = NODE.ask(id, r -> new JobEntity.AcquireLease("node-x", "w1", Duration.ofMinutes(1), r));
        NODE.ask(id, r -> new JobEntity.Start("node-x", "w1", leased.attempt(), r));

        JsonNode job = api.get("/jobs/" + id).expect(200).json();

        assertEquals("running", job.get("status").asText());
        assertEquals("w1", job.get("lease").get("worker").asText());
        assertEquals(3, job.get("revision").asInt());
    }

    @Test
    void unknownAndMalformedIdsAreNotFound() {
        api.get("/jobs/" + JobIds.newId()).expectError(404, "job_not_found");
        api.get("/jobs/not-a-job-id").expectError(404, "job_not_found");
        api.post("/jobs/" + JobIds.newId() + "/cancel", "").expectError(404, "job_not_found");
        api.post("/jobs/not-a-job-id/requeue", "").expectError(404, "job_not_found");
        api.get("/jobs/" + JobIds.newId() + "?x=1").expectInvalidField("x");
    }

    @Test
    void cancelEndsAQueuedJobAndIsRefusedOnceItIsFinished() {
        String id = submit(3);

        JsonNode canceled = api.post("/jobs/" + id + "/cancel", "{\"reason\": \"changed my mind\"}").expect(200).json();
        assertEquals("canceled", canceled.get("status").asText());
        assertTrue(canceled.get("cancel_requested").asBoolean());

        JsonNode error = api.post("/jobs/" + id + "/cancel", "").expectError(409, "invalid_state");
        assertEquals("canceled", error.get("details").get("status").asText());
    }

    @Test
    void cancelOfARunningJobRequestsItAndTellsTheWorker() {
        String id = submit(3);
        NODE.ask(id, r -> new JobEntity.AcquireLease("node-x", "w1", Duration.ofMinutes(1), r));

        JsonNode requested = api.post("/jobs/" + id + "/cancel", "").expect(200).json();

        assertEquals("leased", requested.get("status").asText());
        assertTrue(requested.get("cancel_requested").asBoolean());
        assertEquals(requested, api.post("/jobs/" + id + "/cancel", "{}").expect(200).json(), "asking again changes nothing");
    }

    @Test
    void cancelBodyIsChecked() {
        String id = submit(3);

        api.post("/jobs/" + id + "/cancel", "{\"why\": \"x\"}").expectInvalidField("why");
        api.post("/jobs/" + id + "/cancel", "{\"reason\": 5}").expectInvalidField("reason");
        api.post("/jobs/" + id + "/cancel", "{\"reason\": \"" + "x".repeat(CancelRequest.MAX_REASON_LENGTH + 1) + "\"}")
                .expectInvalidField("reason");
        api.post("/jobs/" + id + "/cancel", "{\"reason\": \"x\"}", "Content-Type", "text/plain").expectError(415, "unsupported_media_type");
        assertEquals("queued", api.get("/jobs/" + id).json().get("status").asText(), "refused cancels change nothing");
    }

    @Test
    void requeueSendsADeadLetteredJobBackAndIsRefusedOtherwise() {
        String id = submit(1);
        api.post("/jobs/" + id + "/requeue", "").expectError(409, "invalid_state");
        Job leased = NODE.ask(id, r -> new JobEntity.AcquireLease("node-x", "w1", Duration.ofMinutes(1), r));
        NODE.ask(id, r -> new JobEntity.Fail("node-x", "w1", leased.attempt(), JobError.transientError("oom", "out of memory"), r));
        assertEquals("dead_lettered", api.get("/jobs/" + id).json().get("status").asText());
        int tickets = (int) NODE.queue().ticketsOf(id);

        JsonNode requeued = api.post("/jobs/" + id + "/requeue", "").expect(200).json();

        assertEquals("queued", requeued.get("status").asText());
        assertEquals(2, requeued.get("attempt").asInt());
        assertEquals(tickets + 1, NODE.queue().ticketsOf(id), "the requeued job is queued again");
    }
}
