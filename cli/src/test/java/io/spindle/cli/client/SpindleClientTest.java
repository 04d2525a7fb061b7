package io.spindle.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobSpec;
import io.spindle.model.job.JobStatus;
import io.spindle.model.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class SpindleClientTest {
    @AutoClose
    private final FakeApi api = new FakeApi();

    @Test
    void sendsTheTokenAsBearerAuthorization() {
        api.onJson("GET", "/jobs/j1", 200, TestJobs.json(TestJobs.queued("j1")));
        new SpindleClient(api.uri(), "s3cret").job("j1");
        assertEquals("Bearer s3cret", api.last("GET", "/jobs/j1").header("Authorization"));
    }

    @Test
    void anOverloadedAnswerCarriesItsRetryAfter() {
        api.on("POST", "/jobs", (r, x) -> {
            x.getResponseHeaders().set("Retry-After", "3");
            FakeApi.send(x, 429, "application/json",
                    "{\"error\":{\"code\":\"overloaded\",\"message\":\"busy\",\"details\":{}}}".getBytes(StandardCharsets.UTF_8));
        });

        ApiException e = assertThrows(ApiException.class,
                () -> new SpindleClient(api.uri(), null).submit(JobSpec.of("cpu.echo", "echo-v1", Json.object())));

        assertTrue(e.isOverloaded());
        assertEquals("overloaded", e.code());
        assertEquals(java.util.Optional.of(java.time.Duration.ofSeconds(3)), e.retryAfter());
        assertTrue(ApiException.fromResponse(503, "{}", java.util.Optional.of("Wed, 21 Oct 2026 07:28:00 GMT")).retryAfter().isEmpty(),
                "a Retry-After date is not a delay this client uses");
    }

    @Test
    void sendsNoAuthorizationWithoutAToken() {
        api.onJson("GET", "/jobs/j1", 200, TestJobs.json(TestJobs.queued("j1")));
        new SpindleClient(api.uri(), null).job("j1");
        assertNull(api.last("GET", "/jobs/j1").header("Authorization"));
    }

    @Test
    void answersTheBodyAsSentAndReadsItIntoTheModel() {
        String body = TestJobs.json(TestJobs.running("j1"));
        api.onJson("GET", "/jobs/j1", 200, body);
        ApiReply reply = new SpindleClient(api.uri(), null).job("j1");
        assertEquals(body, reply.body());
        assertEquals(JobStatus.RUNNING, reply.as(Job.class).status());
    }

    @Test
    void toleratesFieldsThisClientDoesNotKnow() {
        api.onJson("GET", "/jobs/j1", 200, TestJobs.json(TestJobs.queued("j1")).replaceFirst("\\{", "{\"from_the_future\":1,"));
        assertEquals("j1", new SpindleClient(api.uri(), null).job("j1").as(Job.class).id());
    }

    @Test
    void submitPostsTheSpecInSnakeCase() {
        api.onJson("POST", "/jobs", 201, TestJobs.json(TestJobs.queued("j1")));
        JobSpec spec = new JobSpec("cpu.echo", "echo-v1", Json.object().put("a", 1), 7, null, 30, "k-1", Map.of("team", "ml"));
        new SpindleClient(api.uri(), null).submit(spec);
        FakeApi.Request r = api.last("POST", "/jobs");
        assertEquals("application/json", r.header("Content-Type"));
        JsonNode body = ApiJson.parse(r.body());
        assertEquals("cpu.echo", body.get("type").asText());
        assertEquals("echo-v1", body.get("config_id").asText());
        assertEquals(1, body.get("input").get("a").asInt());
        assertEquals(7, body.get("priority").asInt());
        assertEquals(30, body.get("timeout_seconds").asInt());
        assertEquals("k-1", body.get("idempotency_key").asText());
        assertEquals("ml", body.get("labels").get("team").asText());
        assertTrue(body.path("max_attempts").isMissingNode(), "unset fields are left to the server's defaults");
    }

    @Test
    void listEncodesTheFiltersAsTheApiNamesThem() {
        api.onJson("GET", "/jobs", 200, TestJobs.page(null));
        JobFilter f = new JobFilter("failed", "cpu.echo", "echo-v1", Instant.parse("2026-11-28T10:00:00Z"), null, 20, "a b");
        new SpindleClient(api.uri(), null).jobs(f);
        assertEquals("status=failed&type=cpu.echo&config_id=echo-v1&since=2026-11-28T10%3A00%3A00Z&limit=20&cursor=a%20b",
                api.last("GET", "/jobs").query());
    }

    @Test
    void anErrorAnswerBecomesAnApiExceptionWithItsCodeAndMessage() {
        api.on("GET", "/configs/x", FakeApi.error(404, "config_not_found", "config 'x' not found"));
        ApiException e = assertThrows(ApiException.class, () -> new SpindleClient(api.uri(), null).config("x", null));
        assertEquals(404, e.status());
        assertEquals("config_not_found", e.code());
        assertEquals("config 'x' not found", e.getMessage());
        assertTrue(e.isNotFound());
    }

    @Test
    void anErrorThatIsNotTheApisShapeStillReadsWell() {
        api.on("GET", "/configs", (r, x) -> FakeApi.send(x, 502, "text/html", "<h1>Bad gateway</h1>".getBytes(StandardCharsets.UTF_8)));
        ApiException e = assertThrows(ApiException.class, () -> new SpindleClient(api.uri(), null).configs());
        assertEquals("http_502", e.code());
        assertEquals("the server answered HTTP 502: <h1>Bad gateway</h1>", e.getMessage());
    }

    @Test
    void aClosedPortIsUnreachable() throws IOException {
        URI closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        SpindleClient client = new SpindleClient(closed, null);
        ServerUnreachableException e = assertThrows(ServerUnreachableException.class, () -> client.job("j1"));
        assertTrue(e.getMessage().startsWith("cannot reach the Spindle server at " + closed), e.getMessage());
    }

    @Test
    void updateConfigPatchesIt() {
        api.onJson("PATCH", "/configs/c1", 200, "{}");
        new SpindleClient(api.uri(), null).updateConfig("c1", Json.object().put("is_active", false));
        assertEquals("{\"is_active\":false}", api.last("PATCH", "/configs/c1").body());
    }

    @Test
    void pathSegmentsAreEncoded() {
        api.onJson("GET", "/jobs/a b", 200, TestJobs.json(TestJobs.queued("a b")));
        new SpindleClient(api.uri(), null).job("a b");
        assertEquals(1, api.requests("GET", "/jobs/a b").size());
    }

    @Test
    void followEventsStreamsEachEventAndResumesAfterTheLastId() {
        api.on("GET", "/jobs/j1/events", (r, x) -> {
            x.getResponseHeaders().set("Content-Type", "text/event-stream");
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                for (String e : List.of("id: 1\nevent: submitted\ndata: {\"seq_nr\":1,\"type\":\"submitted\"}\n\n",
                        ": keep-alive\n\n", "id: 2\nevent: succeeded\ndata: {\"seq_nr\":2,\"type\":\"succeeded\"}\n\n")) {
                    out.write(e.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        List<SseEvent> seen = new ArrayList<>();
        String last = new SpindleClient(api.uri(), "t").followEvents("j1", "0", seen::add);
        assertEquals(List.of("submitted", "succeeded"), seen.stream().map(SseEvent::event).toList());
        assertEquals("2", last);
        FakeApi.Request r = api.last("GET", "/jobs/j1/events");
        assertEquals("text/event-stream", r.header("Accept"));
        assertEquals("0", r.header("Last-Event-ID"));
        assertEquals("Bearer t", r.header("Authorization"));
    }

    @Test
    void followEventsStopsWhenTheListenerSaysSo() {
        api.on("GET", "/jobs/j1/events", (r, x) -> FakeApi.send(x, 200, "text/event-stream",
                "id: 1\ndata: a\n\nid: 2\ndata: b\n\n".getBytes(StandardCharsets.UTF_8)));
        List<SseEvent> seen = new ArrayList<>();
        String last = new SpindleClient(api.uri(), null).followEvents("j1", null, e -> {
            seen.add(e);
            return false;
        });
        assertEquals(1, seen.size());
        assertEquals("1", last);
    }

    @Test
    void followEventsOfAnUnknownJobThrowsItsError() {
        api.on("GET", "/jobs/nope/events", FakeApi.error(404, "job_not_found", "no job 'nope'"));
        ApiException e = assertThrows(ApiException.class, () -> new SpindleClient(api.uri(), null).followEvents("nope", null, x -> true));
        assertEquals("job_not_found", e.code());
    }
}
