package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi;
import io.spindle.cli.client.TestJobs;
import io.spindle.model.job.JobStatus;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

class EventsCommandTest {
    private static final String SUBMITTED = "{\"seq_nr\":1,\"type\":\"submitted\",\"at\":\"2026-11-28T10:00:00Z\","
            + "\"payload\":{\"job_id\":\"j1\",\"spec\":{\"type\":\"cpu.echo\",\"config_id\":\"echo-v1\",\"input\":{}},\"config_version\":1}}";
    private static final String LEASED = "{\"seq_nr\":2,\"type\":\"leased\",\"at\":\"2026-11-28T10:00:00.005Z\","
            + "\"payload\":{\"job_id\":\"j1\",\"attempt\":1,\"node\":\"node-a\",\"worker\":\"w1\"}}";
    private static final String FAILED = "{\"seq_nr\":3,\"type\":\"failed\",\"at\":\"2026-11-28T10:00:02Z\","
            + "\"payload\":{\"job_id\":\"j1\",\"attempt\":1,\"error\":{\"code\":\"cpu_fail\",\"message\":\"failed as asked\",\"transient\":false}}}";

    @AutoClose
    private final FakeApi api = new FakeApi();

    @Test
    void printsTheHistoryAsATable() {
        api.onJson("GET", "/jobs/j1/events", 200, "{\"job_id\":\"j1\",\"events\":[" + SUBMITTED + "," + LEASED + "," + FAILED + "]}");
        List<String> lines = Cli.against(api.uri(), "events", "j1").assertOk().out().lines().toList();
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).matches("SEQ\\s+AT\\s+EVENT\\s+DETAILS"), lines.get(0));
        assertTrue(lines.get(1).matches("1\\s+2026-11-28T10:00:00Z\\s+submitted\\s+type=cpu.echo config=echo-v1 config_version=1"), lines.get(1));
        assertTrue(lines.get(2).endsWith("leased     attempt=1 node=node-a worker=w1"), lines.get(2));
        assertTrue(lines.get(3).endsWith("failed     attempt=1 error=cpu_fail: failed as asked"), lines.get(3));
    }

    @Test
    void followStreamsTransitionsUntilTheJobIsTerminal() {
        api.on("GET", "/jobs/j1/events", (r, x) -> {
            x.getResponseHeaders().set("Content-Type", "text/event-stream");
            x.sendResponseHeaders(200, 0);
            try (OutputStream out = x.getResponseBody()) {
                for (String data : List.of(SUBMITTED, LEASED, FAILED)) {
                    String type = ApiJson.parse(data).get("type").asText();
                    String seq = ApiJson.parse(data).get("seq_nr").asText();
                    // Keep-alives both ways: a comment, and an event without data (Pekko's heartbeat).
                    out.write(("id: " + seq + "\nevent: " + type + "\ndata: " + data + "\n\n: keep-alive\n\ndata:\n\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });
        Cli.Result r = Cli.against(api.uri(), "events", "j1", "--follow").assertOk();
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("1     2026-11-28T10:00:00Z      submitted         type=cpu.echo"), lines.get(0));
        assertTrue(lines.get(2).contains("failed            attempt=1 error=cpu_fail: failed as asked"), lines.get(2));
        assertEquals("text/event-stream", api.last("GET", "/jobs/j1/events").header("Accept"));
    }

    @Test
    void followWithJsonPrintsOneJsonObjectPerLine() {
        api.on("GET", "/jobs/j1/events", (r, x) -> FakeApi.send(x, 200, "text/event-stream",
                ("id: 1\nevent: submitted\ndata: " + SUBMITTED + "\n\nid: 3\nevent: failed\ndata: " + FAILED + "\n\n").getBytes(StandardCharsets.UTF_8)));
        List<String> lines = Cli.against(api.uri(), "events", "j1", "-f", "--json").assertOk().out().lines().toList();
        assertEquals(List.of("submitted", "failed"), lines.stream().map(l -> ApiJson.parse(l).get("type").asText()).toList());
    }

    @Test
    void followResumesAfterTheLastEventWhenTheStreamDropsEarly() {
        api.on("GET", "/jobs/j1/events", FakeApi.sequence(
                (r, x) -> FakeApi.send(x, 200, "text/event-stream", ("id: 1\nevent: submitted\ndata: " + SUBMITTED + "\n\n").getBytes(StandardCharsets.UTF_8)),
                (r, x) -> FakeApi.send(x, 200, "text/event-stream", ("id: 3\nevent: failed\ndata: " + FAILED + "\n\n").getBytes(StandardCharsets.UTF_8))));
        api.onJson("GET", "/jobs/j1", 200, TestJobs.json(TestJobs.running("j1")));
        Cli.Result r = Cli.against(api.uri(), "events", "j1", "--follow").assertOk();
        assertEquals(2, r.out().lines().count(), r.out());
        assertEquals("1", api.last("GET", "/jobs/j1/events").header("Last-Event-ID"));
    }

    @Test
    void followOfAJobThatEndedWhileDisconnectedStops() {
        api.on("GET", "/jobs/j1/events", (r, x) -> FakeApi.send(x, 200, "text/event-stream",
                ("id: 1\nevent: submitted\ndata: " + SUBMITTED + "\n\n").getBytes(StandardCharsets.UTF_8)));
        api.onJson("GET", "/jobs/j1", 200, TestJobs.json(TestJobs.ended("j1", JobStatus.SUCCEEDED)));
        Cli.against(api.uri(), "events", "j1", "--follow").assertOk();
        assertEquals(1, api.requests("GET", "/jobs/j1/events").size());
    }

    @Test
    void eventsOfAnUnknownJobAreNotFound() {
        api.on("GET", "/jobs/nope/events", FakeApi.error(404, "job_not_found", "job 'nope' not found"));
        Cli.against(api.uri(), "events", "nope", "--follow").assertFailed(ExitCodes.NOT_FOUND);
        Cli.against(api.uri(), "events", "nope").assertFailed(ExitCodes.NOT_FOUND);
    }
}
