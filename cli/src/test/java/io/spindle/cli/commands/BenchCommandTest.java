package io.spindle.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.spindle.cli.bench.BenchPlan;
import io.spindle.cli.client.ApiJson;
import io.spindle.cli.client.FakeApi;
import io.spindle.cli.client.TestJobs;
import io.spindle.model.job.JobStatus;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {
    @AutoClose
    private final FakeApi api = new FakeApi();

    private static BenchPlan plan(String... args) {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.plan();
    }

    @Test
    void defaultsToAThousandEchoJobsOneByOne() {
        BenchPlan p = plan("--config", "echo-v1");
        assertEquals(1000, p.jobs());
        assertEquals("cpu.echo", p.type());
        assertEquals(1, p.batch());
        assertEquals(8, p.concurrency());
        assertTrue(p.input().isEmpty());
    }

    @Test
    void sleepMsRunsCpuSleepWithThatDuration() {
        BenchPlan p = plan("--config", "c", "--sleep-ms", "250", "-n", "50", "--batch", "100", "--rate", "20");
        assertEquals("cpu.sleep", p.type());
        assertEquals(250, p.input().get("duration_ms").asInt());
        assertEquals(50, p.batch(), "a batch never exceeds the run");
        assertEquals(20.0, p.rate());
    }

    @Test
    void noopRunsTheBuiltinThatWritesNoArtifact() {
        BenchPlan p = plan("--config", "echo-java", "--noop", "-n", "2000", "-c", "32");
        assertEquals("cpu.noop", p.type());
        assertTrue(p.input().isEmpty());
        assertEquals(2000, p.jobs());
        assertEquals(32, p.concurrency());
    }

    @Test
    void noopDoesNotMixWithAnotherType() {
        Cli.against(api.uri(), "bench", "--config", "c", "--noop", "--type", "cpu.echo").assertFailed(ExitCodes.USAGE);
        Cli.against(api.uri(), "bench", "--config", "c", "--noop", "--sleep-ms", "5").assertFailed(ExitCodes.USAGE);
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void refusesNonsense() {
        Cli.against(api.uri(), "bench", "--config", "c", "-n", "0").assertFailed(ExitCodes.USAGE);
        Cli.against(api.uri(), "bench", "--config", "c", "--rate", "-1").assertFailed(ExitCodes.USAGE);
        Cli.against(api.uri(), "bench").assertFailed(ExitCodes.USAGE);
        assertTrue(api.requests().isEmpty());
    }

    @Test
    void anUnknownConfigStopsTheRunAtOnce() {
        api.on("POST", "/jobs", FakeApi.error(404, "config_not_found", "config 'nope' not found"));
        Cli.Result r = Cli.against(api.uri(), "bench", "--config", "nope");
        assertEquals(ExitCodes.NOT_FOUND, r.exitCode());
        // Progress lines come first; the error is the one last line.
        assertEquals("spindle: config 'nope' not found (config_not_found)", r.err().strip().lines().reduce((a, b) -> b).orElse(""));
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("spindle:")).count(), r.err());
        assertEquals(1, api.requests("POST", "/jobs").size());
    }

    @Test
    void jsonPrintsTheFigures() {
        String id = "0b9f1c2e-5d4a-4e7b-9a51-2f6c8d3e1a00";
        api.onJson("POST", "/jobs", 201, TestJobs.json(TestJobs.queued(id)));
        api.onJson("GET", "/jobs/" + id, 200, TestJobs.json(TestJobs.ended(id, JobStatus.SUCCEEDED)));
        Cli.Result r = Cli.against(api.uri(), "bench", "--config", "echo-v1", "-n", "3", "--json", "--poll-ms", "10");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = ApiJson.parse(r.out());
        assertEquals(3, report.get("jobs").asInt());
        assertEquals(1, report.get("statuses").get("succeeded").asInt(), "the fake answers the same job three times");
        assertEquals(2000.0, report.get("submit_to_done").get("p50_ms").asDouble());
        assertEquals(10.0, report.get("submit_to_start").get("max_ms").asDouble());
        assertTrue(r.err().contains("waiting for them to finish"), r.err());
    }
}
