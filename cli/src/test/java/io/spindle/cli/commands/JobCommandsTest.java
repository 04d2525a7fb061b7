package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi;
import io.spindle.cli.client.TestJobs;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobCommandsTest {
    private static final String ID = "0b9f1c2e-5d4a-4e7b-9a51-2f6c8d3e1a00";
    @AutoClose
    private final FakeApi api = new FakeApi();

    @Test
    void submitSendsTheSpecAndPrintsTheJob() {
        api.onJson("POST", "/jobs", 201, TestJobs.json(TestJobs.queued(ID)));
        Cli.Result r = Cli.against(api.uri(), "submit", "cpu.echo", "--config", "echo-v1", "--input", "{\"text\":\"hi\"}",
                "--priority", "7", "--max-attempts", "2", "--timeout", "30", "--idempotency-key", "k1",
                "--label", "team=ml", "--label", "run=3").assertOk();
        JsonNode body = ApiJson.parse(api.last("POST", "/jobs").body());
        assertEquals("cpu.echo", body.get("type").asText());
        assertEquals("echo-v1", body.get("config_id").asText());
        assertEquals("hi", body.get("input").get("text").asText());
        assertEquals(7, body.get("priority").asInt());
        assertEquals(2, body.get("max_attempts").asInt());
        assertEquals(30, body.get("timeout_seconds").asInt());
        assertEquals("k1", body.get("idempotency_key").asText());
        assertEquals("ml", body.get("labels").get("team").asText());
        assertEquals("3", body.get("labels").get("run").asText());
        assertTrue(r.out().contains("id:"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("status:\\s+queued")), r.out());
    }

    @Test
    void submitReadsTheInputFromAFile(@TempDir Path dir) throws IOException {
        api.onJson("POST", "/jobs", 201, TestJobs.json(TestJobs.queued(ID)));
        Path input = Files.writeString(dir.resolve("in.json"), "{\"prompt\": \"a cat\"}");
        Cli.against(api.uri(), "submit", "cpu.echo", "--config", "echo-v1", "--input", "@" + input).assertOk();
        assertEquals("a cat", ApiJson.parse(api.last("POST", "/jobs").body()).get("input").get("prompt").asText());
    }

    @Test
    void submitQuietPrintsOnlyTheId() {
        api.onJson("POST", "/jobs", 201, TestJobs.json(TestJobs.queued(ID)));
        assertEquals(ID + "\n", Cli.against(api.uri(), "submit", "cpu.echo", "--config", "echo-v1", "-q").assertOk().out());
    }

    @Test
    void submitJsonPrintsTheApisJsonAsIs() {
        String body = TestJobs.json(TestJobs.queued(ID));
        api.onJson("POST", "/jobs", 201, body);
        Cli.Result r = Cli.against(api.uri(), "submit", "cpu.echo", "--config", "echo-v1", "--json").assertOk();
        assertEquals(body, r.out().strip());
        assertEquals(ID, ApiJson.parse(r.out()).get("id").asText());
    }

    @ParameterizedTest
    @CsvSource({"SUCCEEDED,0", "FAILED,10", "CANCELED,11", "DEAD_LETTERED,12"})
    void submitAndWaitExitsWithTheJobsOutcome(JobStatus status, int exitCode) {
        api.onJson("POST", "/jobs", 201, TestJobs.json(TestJobs.queued(ID)));
        api.on("GET", "/jobs/" + ID, FakeApi.sequence(
                FakeApi.json(200, TestJobs.json(TestJobs.running(ID))),
                FakeApi.json(200, TestJobs.json(TestJobs.ended(ID, status)))));
        Cli.Result r = Cli.against(api.uri(), "submit", "cpu.echo", "--config", "echo-v1", "--wait", "--interval-ms", "50");
        assertEquals(exitCode, r.exitCode(), r.err());
        assertTrue(r.out().contains(status.wireName()), r.out());
    }

    @ParameterizedTest
    @CsvSource({"SUCCEEDED,0", "FAILED,10", "CANCELED,11", "DEAD_LETTERED,12"})
    void getOfATerminalJobExitsWithItsOutcome(JobStatus status, int exitCode) {
        api.onJson("GET", "/jobs/" + ID, 200, TestJobs.json(TestJobs.ended(ID, status)));
        assertEquals(exitCode, Cli.against(api.uri(), "get", ID).exitCode());
        assertEquals(exitCode, Cli.against(api.uri(), "get", ID, "--json").exitCode());
    }

    @Test
    void getOfALiveJobIsOk() {
        api.onJson("GET", "/jobs/" + ID, 200, TestJobs.json(TestJobs.running(ID)));
        Cli.Result r = Cli.against(api.uri(), "get", ID).assertOk();
        assertTrue(r.out().lines().anyMatch(l -> l.matches("lease:\\s+node-a / w1 until 2026-11-28T10:00:30Z")), r.out());
    }

    @Test
    void getShowsTheErrorOfAFailedJob() {
        api.onJson("GET", "/jobs/" + ID, 200, TestJobs.json(TestJobs.ended(ID, JobStatus.FAILED)));
        Cli.Result r = Cli.against(api.uri(), "get", ID);
        assertTrue(r.out().lines().anyMatch(l -> l.matches("error:\\s+cpu_fail: failed as asked")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("duration:\\s+2\\.0s")), r.out());
    }

    @Test
    void getJsonOutputParsesAsTheJob() {
        api.onJson("GET", "/jobs/" + ID, 200, TestJobs.json(TestJobs.running(ID)));
        Job job = ApiJson.read(Cli.against(api.uri(), "get", ID, "--json").assertOk().out(), Job.class);
        assertEquals(JobStatus.RUNNING, job.status());
    }

    @Test
    void waitPrintsALineForEachChangeWhenNotOnATerminal() {
        api.on("GET", "/jobs/" + ID, FakeApi.sequence(
                FakeApi.json(200, TestJobs.json(TestJobs.queued(ID))),
                FakeApi.json(200, TestJobs.json(TestJobs.queued(ID))),
                FakeApi.json(200, TestJobs.json(TestJobs.running(ID))),
                FakeApi.json(200, TestJobs.json(TestJobs.ended(ID, JobStatus.SUCCEEDED)))));
        Cli.Result r = Cli.against(api.uri(), "wait", ID, "--interval-ms", "20").assertOk();
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith(ID + "  queued  attempt 1/3  elapsed "), r.out());
        assertTrue(lines[1].startsWith(ID + "  running  attempt 1/3  elapsed "), r.out());
        assertEquals(ID + "  succeeded  attempt 1/3  elapsed 2.0s", lines[2]);
        assertFalse(r.out().contains("\r"), "no in-place redraws off a terminal");
        assertEquals(4, api.requests("GET", "/jobs/" + ID).size());
    }

    @Test
    void waitWithJsonPrintsOnlyTheFinalJob() {
        api.on("GET", "/jobs/" + ID, FakeApi.sequence(
                FakeApi.json(200, TestJobs.json(TestJobs.running(ID))),
                FakeApi.json(200, TestJobs.json(TestJobs.ended(ID, JobStatus.CANCELED)))));
        Cli.Result r = Cli.against(api.uri(), "wait", ID, "--json", "--interval-ms", "20");
        assertEquals(ExitCodes.JOB_CANCELED, r.exitCode());
        assertEquals(JobStatus.CANCELED, ApiJson.read(r.out(), Job.class).status());
    }

    @Test
    void waitRetriesWhileTheServerIsBusy() {
        api.on("GET", "/jobs/" + ID, FakeApi.sequence(
                FakeApi.error(503, "unavailable", "journal unreachable"),
                FakeApi.json(200, TestJobs.json(TestJobs.ended(ID, JobStatus.SUCCEEDED)))));
        Cli.against(api.uri(), "wait", ID, "--interval-ms", "20").assertOk();
    }

    @Test
    void anUnknownJobIsNotFound() {
        api.on("GET", "/jobs/nope", FakeApi.error(404, "job_not_found", "job 'nope' not found"));
        Cli.Result r = Cli.against(api.uri(), "get", "nope").assertFailed(ExitCodes.NOT_FOUND);
        assertEquals("spindle: job 'nope' not found (job_not_found)\n", r.err());
    }

    @Test
    void aRefusedSubmitIsAnApiError() {
        api.on("POST", "/jobs", FakeApi.error(409, "config_inactive", "config 'echo-v1' is inactive"));
        Cli.Result r = Cli.against(api.uri(), "submit", "cpu.echo", "--config", "echo-v1").assertFailed(ExitCodes.API_ERROR);
        assertEquals("spindle: config 'echo-v1' is inactive (config_inactive)\n", r.err());
    }

    @Test
    void aServerErrorIsAnApiError() {
        api.on("GET", "/jobs/" + ID, FakeApi.error(500, "internal", "boom"));
        Cli.against(api.uri(), "get", ID).assertFailed(ExitCodes.API_ERROR);
    }

    @Test
    void anUnreachableServerExitsWithThree() throws IOException {
        URI closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        Cli.Result r = Cli.against(closed, "get", ID).assertFailed(ExitCodes.UNREACHABLE);
        assertTrue(r.err().contains("cannot reach the Spindle server at " + closed), r.err());
    }

    @Test
    void theTokenIsSentAsBearer() {
        api.onJson("GET", "/jobs/" + ID, 200, TestJobs.json(TestJobs.running(ID)));
        Cli.against(api.uri(), "get", ID, "--token", "s3cret").assertOk();
        assertEquals("Bearer s3cret", api.last("GET", "/jobs/" + ID).header("Authorization"));
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() {
        assertTrue(Cli.against(api.uri(), "submit", "cpu.echo").assertFailed(ExitCodes.USAGE).err().contains("--config"));
        assertTrue(Cli.against(api.uri(), "submit", "cpu.echo", "--config", "c", "--input", "{oops")
                .assertFailed(ExitCodes.USAGE).err().contains("--input is not valid JSON"));
        assertTrue(Cli.against(api.uri(), "submit", "cpu.echo", "--config", "c", "--input", "[1]")
                .assertFailed(ExitCodes.USAGE).err().contains("must be a JSON object"));
        assertTrue(Cli.against(api.uri(), "submit", "cpu.echo", "--config", "c", "--priority", "high")
                .assertFailed(ExitCodes.USAGE).err().contains("--priority"));
        Cli.run("get").assertFailed(ExitCodes.USAGE);
        Cli.run("no-such-command").assertFailed(ExitCodes.USAGE);
        Cli.run("get", ID, "--server", "not a url").assertFailed(ExitCodes.USAGE);
        assertTrue(api.requests().isEmpty(), "a usage error sends nothing");
    }

    @Test
    void cancelPostsTheReasonAndPrintsTheJob() {
        api.onJson("POST", "/jobs/" + ID + "/cancel", 200, TestJobs.json(TestJobs.ended(ID, JobStatus.CANCELED)));
        Cli.Result r = Cli.against(api.uri(), "cancel", ID, "--reason", "wrong prompt").assertOk();
        assertEquals("wrong prompt", ApiJson.parse(api.last("POST", "/jobs/" + ID + "/cancel").body()).get("reason").asText());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("status:\\s+canceled")), r.out());
    }

    @Test
    void cancelOfAFinishedJobIsAnApiError() {
        api.on("POST", "/jobs/" + ID + "/cancel", FakeApi.error(409, "invalid_state", "job is succeeded"));
        Cli.against(api.uri(), "cancel", ID).assertFailed(ExitCodes.API_ERROR);
    }

    @Test
    void requeuePostsAndPrintsTheJobAsJson() {
        String body = TestJobs.json(TestJobs.queued(ID));
        api.onJson("POST", "/jobs/" + ID + "/requeue", 200, body);
        assertEquals(body, Cli.against(api.uri(), "requeue", ID, "--json").assertOk().out().strip());
    }

    @Test
    void helpListsTheExitCodes() {
        Cli.Result r = Cli.run("wait", "--help").assertOk();
        assertTrue(r.out().contains("Exit codes:"), r.out());
        assertTrue(r.out().contains("12   the job was dead-lettered"), r.out());
        assertTrue(Cli.run("--help").out().contains("3    server unreachable"));
    }
}
