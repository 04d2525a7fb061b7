package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.client.ApiJson;
import io.spindle.model.job.Job;
import io.spindle.model.job.JobStatus;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI against the real gateway routes (see {@link RealGateway}): the contract as implemented, not as canned. */
class GatewayContractTest {
    private static RealGateway gateway;

    @BeforeAll
    static void start() {
        gateway = new RealGateway();
        gateway.config("echo-v1", "cpu.echo", "cpu.sleep");
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static Cli.Result cli(String... args) {
        return Cli.against(gateway.uri(), args);
    }

    @Test
    void submitWaitSucceedsAndTheJobReadsBack() {
        Cli.Result r = cli("submit", "cpu.echo", "--config", "echo-v1", "--input", "{\"text\":\"hi\"}", "--label", "team=ml",
                "--wait", "--json", "--interval-ms", "50").assertOk();
        Job job = ApiJson.read(r.out(), Job.class);
        assertEquals(JobStatus.SUCCEEDED, job.status());
        assertEquals("ml", job.labels().get("team"));
        Cli.Result get = cli("get", job.id()).assertOk();
        assertTrue(get.out().lines().anyMatch(l -> l.matches("status:\\s+succeeded")), get.out());
    }

    @Test
    void aFailingJobExitsWithTen() {
        Cli.Result r = cli("submit", "cpu.echo", "--config", "echo-v1", "--input", "{\"fail\":true}", "--wait", "--interval-ms", "50");
        assertEquals(ExitCodes.JOB_FAILED, r.exitCode(), r.err() + r.out());
        assertTrue(r.out().contains("cpu_fail: failed as asked"), r.out());
    }

    @Test
    void cancelOfAQueuedJobEndsItCanceled() {
        gateway.pause();
        try {
            String id = cli("submit", "cpu.echo", "--config", "echo-v1", "-q").assertOk().out().strip();
            cli("cancel", id, "--reason", "changed my mind").assertOk();
            assertEquals(ExitCodes.JOB_CANCELED, cli("wait", id).exitCode());
            Cli.Result events = cli("events", id).assertOk();
            assertTrue(events.out().contains("canceled"), events.out());
            assertTrue(events.out().contains("reason=changed my mind"), events.out());
        } finally {
            gateway.resume();
        }
    }

    @Test
    void eventsFollowStreamsUntilTerminal() {
        String id = ApiJson.read(cli("submit", "cpu.echo", "--config", "echo-v1", "--wait", "--json", "--interval-ms", "50").out(), Job.class).id();
        Cli.Result r = cli("events", id, "--follow", "--json").assertOk();
        List<String> types = r.out().lines().map(l -> ApiJson.parse(l).get("type").asText()).toList();
        assertEquals(List.of("submitted", "leased", "started", "succeeded"), types);
        Cli.Result table = cli("events", id).assertOk();
        assertEquals(5, table.out().lines().count(), table.out());
    }

    @Test
    void eventsFollowOfALiveJobSkipsKeepAlivesAndEndsWithIt() throws Exception {
        gateway.pause();
        String id;
        java.util.concurrent.CompletableFuture<Cli.Result> follow;
        try {
            id = cli("submit", "cpu.echo", "--config", "echo-v1", "-q").assertOk().out().strip();
            follow = java.util.concurrent.CompletableFuture.supplyAsync(() -> cli("events", id, "--follow", "--json"));
            // The gateway sends a keep-alive after 1 s without events (spindle.gateway.sse-keep-alive above):
            // hold the job queued long enough for at least one to arrive while following.
            Thread.sleep(1_500);
        } finally {
            gateway.resume();
        }
        Cli.Result r = follow.get(30, java.util.concurrent.TimeUnit.SECONDS).assertOk();
        List<String> types = r.out().lines().map(l -> ApiJson.parse(l).get("type").asText()).toList();
        assertEquals(List.of("submitted", "leased", "started", "succeeded"), types, r.out());
    }

    @Test
    void errorsOfTheRealApiReadAsOneLine() {
        String notFound = cli("configs", "get", "nope").assertFailed(ExitCodes.NOT_FOUND).err();
        assertTrue(notFound.contains("'nope'") && notFound.endsWith(" (config_not_found)\n"), notFound);
        cli("get", "00000000-0000-0000-0000-000000000000").assertFailed(ExitCodes.NOT_FOUND);
        cli("submit", "cpu.echo", "--config", "nope").assertFailed(ExitCodes.NOT_FOUND);
        Cli.Result invalid = cli("submit", "cpu.echo", "--config", "echo-v1", "--priority", "12").assertFailed(ExitCodes.API_ERROR);
        assertTrue(invalid.err().contains("priority") && invalid.err().endsWith("(validation_failed)\n"), invalid.err());
        cli("submit", "image.generate", "--config", "echo-v1").assertFailed(ExitCodes.API_ERROR);
    }

    @Test
    void configsCreateListActivate() {
        cli("configs", "create", "--id", "sdxl", "--name", "SDXL", "--job-type", "image.*", "--runtime", "comfyui",
                "--param", "steps=30").assertOk();
        assertTrue(cli("configs", "list").assertOk().out().lines().anyMatch(l -> l.startsWith("sdxl ")));
        JsonNode off = ApiJson.parse(cli("configs", "deactivate", "sdxl", "--json").assertOk().out());
        assertEquals(false, off.get("is_active").asBoolean());
        cli("submit", "image.generate", "--config", "sdxl").assertFailed(ExitCodes.API_ERROR);
        assertTrue(cli("configs", "activate", "sdxl").assertOk().out().lines().anyMatch(l -> l.matches("active:\\s+yes")));
        cli("configs", "create", "--id", "sdxl", "--name", "again", "--job-type", "image.*", "--runtime", "x").assertFailed(ExitCodes.API_ERROR);
    }

    @Test
    void listFindsProjectedJobs() {
        String id = ApiJson.read(cli("submit", "cpu.echo", "--config", "echo-v1", "--wait", "--json", "--interval-ms", "50").out(), Job.class).id();
        Cli.Result r = cli("list", "--config", "echo-v1", "--status", "succeeded", "--since", "1h", "--all").assertOk();
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith(id + "  cpu.echo  echo-v1  succeeded")), r.out());
        JsonNode page = ApiJson.parse(cli("list", "--limit", "1", "--json").assertOk().out());
        assertEquals(1, page.get("jobs").size());
    }

    @Test
    void clusterShowsThisNode() {
        Cli.Result r = cli("cluster", "nodes").assertOk();
        assertTrue(r.out().contains("up"), r.out());
        cli("cluster", "configs").assertOk();
    }

    @Test
    void benchRunsBatchedAgainstTheRealApi() {
        Cli.Result r = cli("bench", "--config", "echo-v1", "-n", "200", "--batch", "50", "--concurrency", "2", "--json", "--poll-ms", "20",
                "--timeout", "60");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = ApiJson.parse(r.out());
        assertEquals(200, report.get("submitted").asInt(), r.out());
        assertEquals(200, report.get("finished").asInt(), r.out());
        assertEquals(200, report.get("statuses").get("succeeded").asInt(), r.out());
        assertEquals(200, report.get("submit_to_done").get("count").asInt(), r.out());
    }
}
