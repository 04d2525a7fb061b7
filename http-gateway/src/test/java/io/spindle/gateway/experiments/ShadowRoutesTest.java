package io.spindle.gateway.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import io.spindle.node.job.JobEntity;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An alias's shadow over HTTP: started on a gate, live jobs on the alias mirrored as shadow jobs, stopped by a caller. */
class ShadowRoutesTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();

    @Test
    void liveJobsOnAnAliasAreMirroredToItsShadowUntilItStops() {
        ApiClient api = NODE.api();
        NODE.config("shadow-a", "cpu.echo");
        NODE.config("shadow-b", "cpu.echo");
        NODE.config("shadow-eval", "eval.const");
        api.send(api.builder("/aliases/echo-live").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"config_id\": \"shadow-a\"}"))).expect(201);
        api.post("/gates", "{\"name\": \"echo-gate\", \"min_pairs\": 3, \"criteria\": [{\"kind\": \"non_inferiority\", \"metric\": \"q\", "
                + "\"margin\": 0.1}]}").expect(201);
        String start = "{\"config_id\": \"shadow-b\", \"percent\": 100, \"gate\": \"echo-gate\", \"actor\": \"ana\", \"reason\": \"try b\", "
                + "\"scorers\": [{\"name\": \"q\", \"type\": \"eval.const\", \"config_id\": \"shadow-eval\", \"metric\": \"q\", "
                + "\"direction\": \"higher\", \"input\": {\"of\": \"${arm.job_id}\"}}]}";

        api.post("/aliases/echo-live/shadow", "{\"config_id\": \"shadow-b\", \"percent\": 0, \"gate\": \"echo-gate\"}").expectInvalidField("percent");
        api.post("/aliases/echo-live/shadow", start.replace("echo-gate", "no-gate")).expectError(404, "gate_not_found");
        JsonNode shadowing = api.post("/aliases/echo-live/shadow", start).expect(201).json();
        JsonNode shadow = shadowing.get("shadow");
        String experiment = shadow.get("experiment").asText();
        assertEquals(List.of("shadow-b", "100", "echo-gate"), List.of(shadow.get("candidate").get("config_id").asText(),
                shadow.get("percent").asText(), shadow.get("gate").asText()), shadowing::toString);
        api.post("/aliases/echo-live/shadow", start.replace("shadow-b", "shadow-a")).expectError(409, "invalid_state");

        // Callers get their live job; each is mirrored as a source, and its shadow job runs on the candidate meanwhile.
        List<String> live = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            JsonNode job = api.post("/jobs", "{\"type\": \"cpu.echo\", \"alias\": \"echo-live\", \"input\": {\"n\": " + i + "}}").expect(201).json();
            assertEquals("shadow-a", job.get("config_id").asText(), job::toString);
            live.add(job.get("id").asText());
        }
        JsonNode rolling = awaitSources(api, experiment, 3);
        assertEquals("running", rolling.get("status").asText(), rolling::toString);
        assertEquals(live, rolling.get("sources").findValuesAsText("job_id"));
        awaitShadowJobs(live);

        JsonNode stopped = api.post("/aliases/echo-live/shadow/stop", "{\"actor\": \"ana\", \"reason\": \"enough\"}").expect(200).json();
        assertTrue(stopped.get("shadow") == null || stopped.get("shadow").isNull(), stopped::toString);
        JsonNode history = stopped.get("history");
        assertEquals(List.of("created", "shadow_started", "shadow_stopped"), history.findValuesAsText("kind"));
        assertEquals("completed", api.get("/experiments/" + experiment).expect(200).json().get("status").asText());

        // No longer mirrored.
        api.post("/jobs", "{\"type\": \"cpu.echo\", \"alias\": \"echo-live\", \"input\": {\"n\": 9}}").expect(201);
        assertEquals(3, api.get("/experiments/" + experiment).expect(200).json().get("sources").size());
    }

    private static JsonNode awaitSources(ApiClient api, String experiment, int n) {
        long deadline = System.nanoTime() + GatewayTestNode.TIMEOUT.toNanos();
        while (true) {
            JsonNode e = api.get("/experiments/" + experiment).expect(200).json();
            if (e.get("sources").size() >= n || System.nanoTime() > deadline) {
                return e;
            }
            sleep();
        }
    }

    /** Each live job (still queued: no worker here) has a shadow job on shadow-b, a replay of it. */
    private static void awaitShadowJobs(List<String> live) {
        long deadline = System.nanoTime() + GatewayTestNode.TIMEOUT.toNanos();
        while (true) {
            List<String> replayed = new ArrayList<>();
            for (var ticket : NODE.queue().tickets()) {
                Job job = NODE.ask(ticket.jobId(), JobEntity.Get::new);
                if ("shadow-b".equals(job.configId()) && job.replayOf() != null) {
                    replayed.add(job.replayOf());
                    assertEquals("shadow", job.origin().arm());
                }
            }
            if (replayed.containsAll(live)) {
                live.forEach(id -> assertEquals(JobStatus.QUEUED, NODE.ask(id, JobEntity.Get::new).status(), "the live job is untouched"));
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("shadow jobs of " + live + ": " + replayed);
            }
            sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
