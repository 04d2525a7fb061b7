package io.spindle.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.gateway.testsupport.ApiClient;
import io.spindle.gateway.testsupport.GatewayTestNode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobError;
import io.spindle.model.json.Json;
import io.spindle.node.job.JobEntity;
import io.spindle.node.job.JobIds;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /jobs/{id}/events: the journaled history as JSON, and as a live SSE stream ending when the job is terminal. */
class JobEventsTest {
    @RegisterExtension
    static final GatewayTestNode NODE = new GatewayTestNode();
    private static final String CONFIG = "events-echo";
    private static final String SSE = "text/event-stream";

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

    private void runToSuccess(String id) {
        Job leased = NODE.ask(id, r -> new JobEntity.AcquireLease("node-x", "w1", Duration.ofMinutes(1), r));
        NODE.ask(id, r -> new JobEntity.Start("node-x", "w1", leased.attempt(), r));
        NODE.ask(id, r -> new JobEntity.Complete("node-x", "w1", leased.attempt(), Json.object().put("text", "ok"), List.of(), r));
    }

    @Test
    void historyListsEveryTransitionWithSeqNrTypeTimeAndPayload() {
        String id = submit(3);
        runToSuccess(id);

        JsonNode body = api.get("/jobs/" + id + "/events").expect(200).json();

        assertEquals(id, body.get("job_id").asText());
        List<String> types = new ArrayList<>();
        body.get("events").forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("submitted", "leased", "started", "succeeded"), types);
        JsonNode first = body.get("events").get(0);
        assertEquals(1, first.get("seq_nr").asInt());
        assertTrue(first.get("at").asText().endsWith("Z"));
        assertEquals("cpu.echo", first.get("payload").get("spec").get("type").asText());
        assertEquals(id, first.get("payload").get("job_id").asText());
        assertEquals("ok", body.get("events").get(3).get("payload").get("outputs").get("text").asText());
        assertEquals(4, body.get("events").get(3).get("seq_nr").asInt());
    }

    @Test
    void historyOfAnUnknownJobIsNotFound() {
        api.get("/jobs/" + JobIds.newId() + "/events").expectError(404, "job_not_found");
        api.get("/jobs/nope/events").expectError(404, "job_not_found");
        api.get("/jobs/" + JobIds.newId() + "/events", "Accept", SSE).expectError(404, "job_not_found");
    }

    @Test
    void theStreamSendsHistoryThenLiveTransitionsAndEndsWhenTheJobIsTerminal() throws Exception {
        String id = submit(3);
        HttpResponse<Stream<String>> response = api.http().send(api.builder("/jobs/" + id + "/events", "Accept", SSE).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith(SSE));
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> response.body().toList());

        runToSuccess(id);

        List<String> received = lines.get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(List.of("submitted", "leased", "started", "succeeded"), field(received, "event:"));
        assertEquals(List.of("1", "2", "3", "4"), field(received, "id:"));
        JsonNode last = Json.mapper().readTree(field(received, "data:").get(3));
        assertEquals("succeeded", last.get("type").asText());
        assertEquals(4, last.get("seq_nr").asInt());
    }

    @Test
    void theStreamOfATerminalJobIsItsHistoryAndResumesAfterLastEventId() {
        String id = submit(3);
        runToSuccess(id);

        List<String> all = api.get("/jobs/" + id + "/events", "Accept", SSE).expect(200).body().lines().toList();
        assertEquals(List.of("submitted", "leased", "started", "succeeded"), field(all, "event:"));

        List<String> resumed = api.get("/jobs/" + id + "/events", "Accept", SSE, "Last-Event-ID", "2").expect(200).body().lines().toList();
        assertEquals(List.of("started", "succeeded"), field(resumed, "event:"));

        api.get("/jobs/" + id + "/events", "Accept", SSE, "Last-Event-ID", "two").expectInvalidField("Last-Event-ID");
    }

    @Test
    void aRequeuedJobsStreamDoesNotEndAtItsEarlierDeadLetter() throws Exception {
        String id = submit(1);
        Job leased = NODE.ask(id, r -> new JobEntity.AcquireLease("node-x", "w1", Duration.ofMinutes(1), r));
        NODE.ask(id, r -> new JobEntity.Fail("node-x", "w1", leased.attempt(), JobError.transientError("oom", "out of memory"), r));
        api.post("/jobs/" + id + "/requeue", "").expect(200);

        HttpResponse<Stream<String>> response = api.http().send(api.builder("/jobs/" + id + "/events", "Accept", SSE).GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> response.body().toList());
        Job again = NODE.ask(id, r -> new JobEntity.AcquireLease("node-x", "w2", Duration.ofMinutes(1), r));
        NODE.ask(id, r -> new JobEntity.Fail("node-x", "w2", again.attempt(), JobError.permanent("bad", "bad input"), r));

        assertEquals(List.of("submitted", "leased", "dead_lettered", "requeued", "leased", "failed"),
                field(lines.get(GatewayTestNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS), "event:"));
    }

    private static List<String> field(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim()).toList();
    }
}
